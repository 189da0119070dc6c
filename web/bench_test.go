package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"talkbot/store/sqlite/sqlitetest"
	"talkbot/web"
)

// BenchmarkCalendar is a calendar app's first fetch of one track's feed.
func BenchmarkCalendar(b *testing.B) {
	h := web.New(sqlitetest.Bundled(b, time.Now), "https://talks.example.org", nil)
	req := httptest.NewRequest(http.MethodGet, "/calendar/ru-ua-istanbul.ics", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkCalendarNotModified is a calendar app polling with the ETag it
// has: the versions alone answer it.
func BenchmarkCalendarNotModified(b *testing.B) {
	h := web.New(sqlitetest.Bundled(b, time.Now), "https://talks.example.org", nil)
	first := httptest.NewRecorder()
	h.ServeHTTP(first, httptest.NewRequest(http.MethodGet, "/calendar/ru-ua-istanbul.ics", nil))
	req := httptest.NewRequest(http.MethodGet, "/calendar/ru-ua-istanbul.ics", nil)
	req.Header.Set("If-None-Match", first.Header().Get("ETag"))
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

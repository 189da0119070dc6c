package sqlstore

import (
	"math"
	"reflect"
	"testing"
	"time"

	"talkbot/store"
)

func TestListsRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		in   []string
	}{
		{"no items is nil", nil},
		{"one empty string survives", []string{""}},
		{"separators inside items", []string{"1:a,", "x,y", ":", "line\nbreak", "Türkiye “quoted”"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeList(encodeList(tc.in))
			if err != nil || !reflect.DeepEqual(got, tc.in) {
				t.Errorf("decodeList(encodeList(%q)) = %q, %v", tc.in, got, err)
			}
		})
	}
}

func TestCorruptListsAreErrors(t *testing.T) {
	for _, s := range []string{"x", "3:ab,", "2:ab", "-1:,", "2:abc", "1:a,5:b,", "99999999999999999999:a,"} {
		if got, err := decodeList(s); err == nil {
			t.Errorf("decodeList(%q) = %q; want an error", s, got)
		}
	}
}

func TestDetailsRoundTrip(t *testing.T) {
	r := store.Round{
		Mediators:   []string{"usa", "turkiye"},
		Agenda:      []string{"memorandum"},
		Documents:   []string{"a", ""},
		Delegations: []store.Delegation{{Party: "russia", Head: "medinsky"}, {Party: "ukraine", Head: "", Members: []string{"umerov", "sybiha"}}},
		Notes:       []string{"Lavrov thanked Türkiye for facilitating them.", "", "1:a,"},
	}
	var got store.Round
	if err := decodeDetails(encodeDetails(r), &got); err != nil || !reflect.DeepEqual(got, r) {
		t.Errorf("details round trip = %+v, %v; want %+v", got, err, r)
	}
}

// Rows written before rounds had notes keep their layout: four lists, then
// the delegations. They must read as they did, with no notes.
func TestDetailsWrittenBeforeNotesStillRead(t *testing.T) {
	// encodeDetails as it was, for mediators [turkiye], agenda [memorandum]
	// and delegations russia (head medinsky) and ukraine (members umerov).
	old := "10:7:turkiye,,14:10:memorandum,,0:,0:,20:6:russia,8:medinsky,,22:7:ukraine,0:,6:umerov,,"
	var got store.Round
	if err := decodeDetails(old, &got); err != nil {
		t.Fatal(err)
	}
	want := store.Round{
		Mediators:   []string{"turkiye"},
		Agenda:      []string{"memorandum"},
		Delegations: []store.Delegation{{Party: "russia", Head: "medinsky"}, {Party: "ukraine", Members: []string{"umerov"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("old details read as %+v, want %+v", got, want)
	}
	if again := encodeDetails(got); again != old {
		t.Errorf("a round without notes encodes as %q, want the old layout %q", again, old)
	}
}

func TestCorruptNotesAreErrors(t *testing.T) {
	bad := encodeList([]string{"", "", "", "", notesTag + "3:ab,"})
	if err := decodeDetails(bad, &store.Round{}); err == nil {
		t.Errorf("decodeDetails(%q) succeeded; want an error", bad)
	}
}

func FuzzDecodeList(f *testing.F) {
	f.Add(encodeList([]string{"a", "", "1:b,"}))
	f.Add("3:abc,")
	f.Fuzz(func(t *testing.T, s string) {
		items, err := decodeList(s)
		if err != nil {
			return
		}
		if again := encodeList(items); again != s {
			t.Errorf("decodeList(%q) = %q, which encodes as %q", s, items, again)
		}
	})
}

func TestOffsetsRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		in   []time.Duration
	}{
		{"no offsets is nil", nil},
		{"whole units", []time.Duration{24 * time.Hour, time.Hour, 15 * time.Minute}},
		{"sub-second and odd values survive", []time.Duration{1500 * time.Millisecond, time.Nanosecond, 90*time.Minute + 7*time.Microsecond, 0}},
		{"the extremes survive", []time.Duration{math.MaxInt64, math.MinInt64, -time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeOffsets(encodeOffsets(tc.in))
			if err != nil || !reflect.DeepEqual(got, tc.in) {
				t.Errorf("decodeOffsets(encodeOffsets(%v)) = %v, %v", tc.in, got, err)
			}
		})
	}
}

func FuzzOffsetsRoundTrip(f *testing.F) {
	f.Add(int64(24*time.Hour), int64(1500*time.Millisecond))
	f.Add(int64(math.MinInt64), int64(0))
	f.Fuzz(func(t *testing.T, a, b int64) {
		in := []time.Duration{time.Duration(a), time.Duration(b)}
		got, err := decodeOffsets(encodeOffsets(in))
		if err != nil || !reflect.DeepEqual(got, in) {
			t.Errorf("decodeOffsets(encodeOffsets(%v)) = %v, %v", in, got, err)
		}
	})
}

package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"talkbot/store/sqlite/sqlitetest"
	"talkbot/web"
)

// chromium finds Debian's Chromium; without it the browser test skips,
// unless TALKBOT_REQUIRE_BROWSER=1 (CI installs it) makes that a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("TALKBOT_REQUIRE_BROWSER") == "1" {
		t.Fatal("TALKBOT_REQUIRE_BROWSER=1 but neither chromium nor chromium-browser is on PATH (apt-get install chromium)")
	}
	t.Skip("no chromium on PATH: the page is not checked in a browser (apt-get install chromium)")
	return ""
}

// browserLog is what the browser reported while it showed a page.
type browserLog struct {
	mu       sync.Mutex
	problems []string // console errors, exceptions, CSP violations, dialogs
	requests []string
}

func (l *browserLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.problems = append(l.problems, fmt.Sprintf(format, args...))
}

func (l *browserLog) listen(ctx context.Context, t *testing.T) {
	t.Helper()
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				l.add("console.%s: %s", ev.Type, strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			l.add("exception: %s", ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			// CSP violations and failed loads arrive here.
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				l.add("log %s/%s: %s %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
			}
		case *page.EventJavascriptDialogOpening:
			l.add("dialog %s: %s", ev.Type, ev.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *network.EventRequestWillBeSent:
			l.mu.Lock()
			l.requests = append(l.requests, ev.Request.URL)
			l.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTrackPageInChromium(t *testing.T) {
	exe := chromium(t)
	s := fixture(t, sqlitetest.Open(t, fixed(fixtureNow)))
	srv := httptest.NewServer(web.New(s, "", nil, web.WithClock(fixed(fixtureNow))))
	t.Cleanup(srv.Close)
	if u, _ := url.Parse(srv.URL); u.Hostname() != "127.0.0.1" {
		t.Fatalf("the test server listens on %s, want 127.0.0.1", srv.URL)
	}

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox, // Chromium refuses to run as root with its sandbox
		chromedp.Flag("disable-gpu", true),
		chromedp.UserDataDir(t.TempDir()),
	)...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	ctx, cancel := context.WithTimeout(browserCtx, 2*time.Minute)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // start the browser once
		t.Fatalf("starting chromium: %v", err)
	}

	// Round 2 starts on 29 March 2026 at 07:00 UTC (10:00 in Kyiv).
	start := time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC)
	for _, tz := range []string{"America/New_York", "Asia/Tokyo"} {
		t.Run(tz, func(t *testing.T) {
			loc, err := time.LoadLocation(tz)
			if err != nil {
				t.Fatal(err)
			}
			tab, cancelTab := chromedp.NewContext(ctx)
			t.Cleanup(cancelTab)
			var l browserLog
			l.listen(tab, t)
			if err := chromedp.Do(tab,
				chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: tz})
					return err
				}),
				chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(srv.URL+"/t/kyiv"),
			); err != nil {
				t.Fatal(err)
			}
			text, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(".next time")))
			if err != nil {
				t.Fatal(err)
			}
			want := start.In(loc).Format("2 January 2006, 15:04") + " your time (" + tz + ")"
			if strings.TrimSpace(text) != want {
				t.Errorf("next meeting reads %q, want %q", text, want)
			}
			// The script statement is text on the page, and no script of it runs.
			shown, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.body.innerText.includes(`+"`"+scriptStatement+"`"+`)`))
			if err != nil {
				t.Fatal(err)
			}
			if !shown {
				t.Error("the statement holding <script> is not shown as text")
			}
			scripts, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.scripts.length`))
			if err != nil {
				t.Fatal(err)
			}
			if scripts != 1 {
				t.Errorf("%d script elements, want only ours", scripts)
			}
			// A date-only round keeps its date and gets no time from the script.
			dateOnly, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`time[datetime="2026-04-05"]`)))
			if err != nil {
				t.Fatal(err)
			}
			if dateOnly != "5 April 2026" {
				t.Errorf("the date-only round reads %q", dateOnly)
			}
			shot(t, tab, tz, 1280)
			if err := chromedp.Do(tab, chromedp.EmulateViewport(320, 640), chromedp.Navigate(srv.URL+"/t/kyiv")); err != nil {
				t.Fatal(err)
			}
			width, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if width > 320 {
				t.Errorf("at 320 px the page is %d px wide: it scrolls sideways", width)
			}
			shot(t, tab, tz, 320)

			l.mu.Lock()
			defer l.mu.Unlock()
			for _, p := range l.problems {
				t.Errorf("browser: %s", p)
			}
			if len(l.requests) == 0 {
				t.Error("no request seen: the network listener heard nothing")
			}
			for _, r := range l.requests {
				u, err := url.Parse(r)
				if err != nil || u.Hostname() != "127.0.0.1" {
					t.Errorf("a request left 127.0.0.1: %s", r)
				}
			}
		})
	}
}

// shot saves a screenshot of the viewport under the test's temp dir.
func shot(t *testing.T, tab context.Context, tz string, width int) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100)) // quality 100 is a PNG
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("track-%s-%dpx.png", strings.ReplaceAll(tz, "/", "-"), width))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot at %d px: %s", width, path)
}

package dataset

import "testing"

func TestFeedURLProblem(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
	}{
		{"https://example.org/feed.xml", true},
		{"http://example.org:8080/rss?lang=en#top", true},
		{"HTTPS://Example.org/Feed", true},
		{"https://[2001:db8::1]/feed", true},
		{"ftp://example.org/feed.xml", false},
		{"gopher://example.org/1/feed", false},
		{"file:///etc/passwd", false},
		{"javascript:alert(1)", false},
		{"/feed.xml", false},
		{"//example.org/feed.xml", false},
		{"example.org/feed.xml", false},
		{"localhost:8080/feed", false},
		{"https://", false},
		{"https://user@example.org/feed", false},
		{" https://example.org/feed", false},
		{"https://example.org/a feed", false},
		{"https://example.org/%zz", false},
		{"", false},
	}
	for _, tc := range cases {
		if why := FeedURLProblem(tc.url); (why == "") != tc.ok {
			t.Errorf("FeedURLProblem(%q) = %q; want ok %v", tc.url, why, tc.ok)
		}
	}
}

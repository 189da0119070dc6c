package commands

import "testing"

func TestPlural(t *testing.T) {
	cases := []struct {
		n    int
		one  string
		want string
	}{
		{0, "statement", "0 statements"},
		{1, "statement", "1 statement"},
		{2, "statement", "2 statements"},
		{1, "day", "1 day"},
		{7, "day", "7 days"},
		{1, "follow", "1 follow"},
		{3, "follow", "3 follows"},
	}
	for _, tc := range cases {
		if got := plural(tc.n, tc.one); got != tc.want {
			t.Errorf("plural(%d, %q) = %q; want %q", tc.n, tc.one, got, tc.want)
		}
	}
}

func TestEcho(t *testing.T) {
	cases := []struct{ name, typed, want string }{
		{"a name is shown as typed, in quotes", "Sergey Lavrov", `"Sergey Lavrov"`},
		{"quotes typed stay as typed", `"Sergey Lavrov"`, `""Sergey Lavrov""`},
		{"markdown cannot format the reply", "`x` *y* _z_ ~~w~~ ||s||", "\"\\`x\\` \\*y\\* \\_z\\_ \\~\\~w\\~\\~ \\|\\|s\\|\\|\""},
		{"a mention is not one", "@everyone <@123> [a](b)", "\"@\u200beveryone \\<@123> \\[a\\](b)\""},
		{"spaces and line breaks are one space", "  a \n b  ", `"a b"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := echo(tc.typed); got != tc.want {
				t.Errorf("echo(%q) = %q; want %q", tc.typed, got, tc.want)
			}
		})
	}
}

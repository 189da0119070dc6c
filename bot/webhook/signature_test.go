package webhook

import "testing"

func TestParseUnixSeconds(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64
		ok   bool
	}{
		{"plain seconds parse", "1748779200", 1748779200, true},
		{"zero parses", "0", 0, true},
		{"an empty string does not", "", 0, false},
		{"a sign does not", "+1748779200", 0, false},
		{"a fraction does not", "1748779200.5", 0, false},
		{"nineteen digits do not", "1000000000000000000", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseUnixSeconds(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseUnixSeconds(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

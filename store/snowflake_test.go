package store

import "testing"

func TestIsSnowflake(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want bool
	}{
		{"a real channel id is one", "1379874016938803200", true},
		{"the largest 64-bit id is one", "18446744073709551615", true},
		{"a short id, as tests use, is one", "200", true},
		{"an empty string is not", "", false},
		{"a 20-digit number past 64 bits is not", "18446744073709551616", false},
		{"more than 20 digits is not", "123456789012345678901", false},
		{"a leading zero is not how Discord writes ids", "0123456789012345678", false},
		{"a sign is not", "+1379874016938803200", false},
		{"a mention is not", "<#1379874016938803200>", false},
		{"a name is not", "my-server", false},
		{"non-ASCII digits are not", "١٢٣", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsSnowflake(tc.in); got != tc.want {
				t.Errorf("IsSnowflake(%q) = %v; want %v", tc.in, got, tc.want)
			}
		})
	}
}

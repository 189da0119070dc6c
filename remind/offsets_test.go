package remind

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseOffsets(t *testing.T) {
	cases := []struct {
		name, in string
		want     []time.Duration
		wantErr  string
	}{
		{"the example from the docs", "7d,24h,1h,15m", []time.Duration{7 * day, day, time.Hour, 15 * time.Minute}, ""},
		{"spaces and capitals are fine", " 1H , 15M ", []time.Duration{time.Hour, 15 * time.Minute}, ""},
		{"sorted longest first", "15m,2d", []time.Duration{2 * day, 15 * time.Minute}, ""},
		{"empty", "", nil, "no reminder times"},
		{"a unit it does not know", "2w", nil, `"2w" has an unknown unit`},
		{"no number", "h", nil, `"h" is not a reminder time`},
		{"zero", "0m", nil, "is not a reminder time"},
		{"negative", "-1h", nil, "is not a reminder time"},
		{"over 30 days", "31d", nil, "more than 30 days"},
		{"the same time twice", "24h,1d", nil, "listed twice"},
		{"too many", "1m,2m,3m,4m,5m,6m,7m", nil, "at most 6"},
		{"a fraction", "1.5h", nil, "is not a reminder time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseOffsets(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseOffsets(%q) error = %v; want %q", tc.in, err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "e.g. 7d,24h,1h,15m") {
					t.Errorf("error %q gives no example that works", err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("ParseOffsets(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			again, err := ParseOffsets(FormatOffsets(got))
			if err != nil || !slices.Equal(again, got) {
				t.Errorf("FormatOffsets does not read back: %q -> %v, %v", FormatOffsets(got), again, err)
			}
		})
	}
}

func FuzzParseOffsets(f *testing.F) {
	for _, s := range []string{"7d,24h,1h,15m", "24h,1h", "1m", "30d", "", ",", "99999999999999999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := ParseOffsets(s)
		if err != nil {
			return
		}
		if len(ds) == 0 || len(ds) > maxOffsets {
			t.Fatalf("%q gave %d offsets", s, len(ds))
		}
		for _, d := range ds {
			if d < time.Minute || d > maxOffset {
				t.Fatalf("%q gave offset %v", s, d)
			}
		}
		again, err := ParseOffsets(FormatOffsets(ds))
		if err != nil || !slices.Equal(again, ds) {
			t.Fatalf("%q: %v does not read back (%v)", s, ds, err)
		}
	})
}

// A caller words the refusal in its reader's language from the error's
// kind and part, so each refusal must carry them.
func TestParseOffsetsErrorKinds(t *testing.T) {
	cases := []struct {
		in   string
		want OffsetError
	}{
		{" ", OffsetError{Kind: OffsetsNone}},
		{"2W", OffsetError{Kind: OffsetUnknownUnit, Part: "2w"}},
		{"h", OffsetError{Kind: OffsetUnreadable, Part: "h"}},
		{"31d", OffsetError{Kind: OffsetTooLong, Part: "31d"}},
		{"24h,1d", OffsetError{Kind: OffsetTwice, Part: "1d"}},
		{"1m,2m,3m,4m,5m,6m,7m", OffsetError{Kind: OffsetsTooMany, Max: 6}},
	}
	for _, tc := range cases {
		_, err := ParseOffsets(tc.in)
		var oe *OffsetError
		if !errors.As(err, &oe) || *oe != tc.want {
			t.Errorf("ParseOffsets(%q) error = %#v; want %#v", tc.in, err, tc.want)
		}
	}
}

package dataset

import (
	"reflect"
	"testing"
	"time"

	"talkbot/store"
)

func utc(year int, month time.Month, day, hour, min, sec, nsec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, nsec, time.UTC)
}

func date(year int, month time.Month, day int) store.Date {
	return store.Date{Year: year, Month: month, Day: day}
}

func TestParseStarts(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		zone    string
		want    store.When
		wantErr string
	}{
		{
			name: "a date alone means the time was not announced",
			in:   "2025-06-02",
			zone: "Europe/Istanbul",
			want: store.When{Date: date(2025, 6, 2), Zone: "Europe/Istanbul"},
		},
		{
			name: "a local time is read on the zone's clock",
			in:   "2025-06-02T10:00",
			zone: "Europe/Istanbul",
			want: store.When{Date: date(2025, 6, 2), At: utc(2025, 6, 2, 7, 0, 0, 0), Zone: "Europe/Istanbul"},
		},
		{
			name: "a local time in summer uses the summer offset",
			in:   "2025-07-01T09:15",
			zone: "America/New_York",
			want: store.When{Date: date(2025, 7, 1), At: utc(2025, 7, 1, 13, 15, 0, 0), Zone: "America/New_York"},
		},
		{
			name: "an RFC 3339 time in UTC takes its date from the zone",
			in:   "2025-06-01T22:30:00Z",
			zone: "Europe/Istanbul",
			want: store.When{Date: date(2025, 6, 2), At: utc(2025, 6, 1, 22, 30, 0, 0), Zone: "Europe/Istanbul"},
		},
		{
			name: "an RFC 3339 time with an offset is that instant",
			in:   "2025-06-02T10:00:00+03:00",
			zone: "Europe/Kyiv",
			want: store.When{Date: date(2025, 6, 2), At: utc(2025, 6, 2, 7, 0, 0, 0), Zone: "Europe/Kyiv"},
		},
		{
			name: "an RFC 3339 time may leave out the seconds",
			in:   "2025-06-02T10:00-04:00",
			zone: "America/New_York",
			want: store.When{Date: date(2025, 6, 2), At: utc(2025, 6, 2, 14, 0, 0, 0), Zone: "America/New_York"},
		},
		{
			name: "an RFC 3339 time keeps fractions of a second",
			in:   "2025-06-02T10:00:00.25+03:00",
			zone: "Europe/Kyiv",
			want: store.When{Date: date(2025, 6, 2), At: utc(2025, 6, 2, 7, 0, 0, 250e6), Zone: "Europe/Kyiv"},
		},
		{
			name: "the first minute after clocks spring forward exists",
			in:   "2025-03-30T04:00",
			zone: "Europe/Kyiv",
			want: store.When{Date: date(2025, 3, 30), At: utc(2025, 3, 30, 1, 0, 0, 0), Zone: "Europe/Kyiv"},
		},
		{
			name: "the hour after clocks fall back happens once",
			in:   "2025-10-26T04:00",
			zone: "Europe/Kyiv",
			want: store.When{Date: date(2025, 10, 26), At: utc(2025, 10, 26, 2, 0, 0, 0), Zone: "Europe/Kyiv"},
		},
		{
			name:    "a local time skipped by the spring DST change is refused",
			in:      "2025-03-30T03:30",
			zone:    "Europe/Kyiv",
			wantErr: "2025-03-30T03:30 does not exist in Europe/Kyiv (clocks skip it at a DST change): give the time in RFC 3339 with an explicit offset, e.g. 2025-03-30T04:30:00+03:00",
		},
		{
			name:    "a local time repeated by the autumn DST change is refused",
			in:      "2025-10-26T03:30",
			zone:    "Europe/Kyiv",
			wantErr: "2025-10-26T03:30 happens twice in Europe/Kyiv (clocks repeat it at a DST change): give the time in RFC 3339 with an explicit offset, either 2025-10-26T03:30:00+03:00 or 2025-10-26T03:30:00+02:00",
		},
		{
			name:    "a New York time skipped in March is refused",
			in:      "2025-03-09T02:30",
			zone:    "America/New_York",
			wantErr: "2025-03-09T02:30 does not exist in America/New_York (clocks skip it at a DST change): give the time in RFC 3339 with an explicit offset, e.g. 2025-03-09T03:30:00-04:00",
		},
		{
			name: "an explicit offset settles a repeated hour",
			in:   "2025-11-02T01:30:00-05:00",
			zone: "America/New_York",
			want: store.When{Date: date(2025, 11, 2), At: utc(2025, 11, 2, 6, 30, 0, 0), Zone: "America/New_York"},
		},
		{
			name:    "a day that does not exist is refused",
			in:      "2025-06-31",
			zone:    "UTC",
			wantErr: `bad date "2025-06-31": June 2025 has 30 days`,
		},
		{
			name:    "a date without leading zeros is refused",
			in:      "2025-6-2",
			zone:    "UTC",
			wantErr: `bad date or time "2025-6-2": use YYYY-MM-DD (time not announced), YYYY-MM-DDTHH:MM (local time) or RFC 3339 such as 2025-06-02T10:00:00+03:00`,
		},
		{
			name:    "a space between date and time is refused",
			in:      "2025-06-02 10:00",
			zone:    "UTC",
			wantErr: `bad date or time "2025-06-02 10:00": use YYYY-MM-DD (time not announced), YYYY-MM-DDTHH:MM (local time) or RFC 3339 such as 2025-06-02T10:00:00+03:00`,
		},
		{
			name:    "an hour past 23 is refused",
			in:      "2025-06-02T24:00",
			zone:    "UTC",
			wantErr: `bad date or time "2025-06-02T24:00": use YYYY-MM-DD (time not announced), YYYY-MM-DDTHH:MM (local time) or RFC 3339 such as 2025-06-02T10:00:00+03:00`,
		},
		{
			name:    "local time with seconds but no offset is refused",
			in:      "2025-06-02T10:00:00",
			zone:    "UTC",
			wantErr: `bad date or time "2025-06-02T10:00:00": use YYYY-MM-DD (time not announced), YYYY-MM-DDTHH:MM (local time) or RFC 3339 such as 2025-06-02T10:00:00+03:00`,
		},
		{
			name:    "an empty value is refused",
			in:      "",
			zone:    "UTC",
			wantErr: `bad date or time "": use YYYY-MM-DD (time not announced), YYYY-MM-DDTHH:MM (local time) or RFC 3339 such as 2025-06-02T10:00:00+03:00`,
		},
		{
			name:    "a misspelt zone is refused",
			in:      "2025-06-02",
			zone:    "Europe/Kyiw",
			wantErr: `unknown timezone "Europe/Kyiw": use an IANA name such as Europe/Istanbul`,
		},
		{
			name:    "the server's own zone is refused",
			in:      "2025-06-02",
			zone:    "Local",
			wantErr: `timezone "Local" means the server's own zone: use an IANA name such as Europe/Istanbul`,
		},
		{
			name:    "no zone is refused",
			in:      "2025-06-02",
			zone:    "",
			wantErr: "missing timezone: use an IANA name such as Europe/Istanbul",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseStarts(tc.in, tc.zone)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("ParseStarts(%q, %q) error = %v\nwant %s", tc.in, tc.zone, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseStarts(%q, %q): %v", tc.in, tc.zone, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ParseStarts(%q, %q) = %+v, want %+v", tc.in, tc.zone, got, tc.want)
			}
		})
	}
}

func TestFormatStarts(t *testing.T) {
	tests := []struct {
		name string
		in   store.When
		want string
	}{
		{
			name: "no value prints nothing",
			in:   store.When{},
			want: "",
		},
		{
			name: "a date alone prints as a date",
			in:   store.When{Date: date(2025, 6, 2), Zone: "Europe/Istanbul"},
			want: "2025-06-02",
		},
		{
			name: "a whole minute prints as local time",
			in:   store.When{Date: date(2025, 6, 2), At: utc(2025, 6, 2, 7, 0, 0, 0), Zone: "Europe/Istanbul"},
			want: "2025-06-02T10:00",
		},
		{
			name: "a time with seconds prints with the zone's offset",
			in:   store.When{Date: date(2025, 6, 2), At: utc(2025, 6, 2, 7, 0, 30, 0), Zone: "Europe/Istanbul"},
			want: "2025-06-02T10:00:30+03:00",
		},
		{
			name: "a time in a repeated hour prints with its offset",
			in:   store.When{Date: date(2025, 10, 26), At: utc(2025, 10, 26, 1, 30, 0, 0), Zone: "Europe/Kyiv"},
			want: "2025-10-26T03:30:00+02:00",
		},
		{
			name: "a time whose zone offset has seconds prints in UTC",
			in:   store.When{Date: date(1900, 1, 1), At: utc(1900, 1, 1, 10, 0, 30, 0), Zone: "Europe/Amsterdam"},
			want: "1900-01-01T10:00:30Z",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FormatStarts(tc.in)
			if got != tc.want {
				t.Fatalf("FormatStarts(%+v) = %q, want %q", tc.in, got, tc.want)
			}
			if tc.in.IsZero() {
				return
			}
			back, err := ParseStarts(got, tc.in.Zone)
			if err != nil || !reflect.DeepEqual(back, tc.in) {
				t.Fatalf("ParseStarts(%q) = %+v, %v; want %+v", got, back, err, tc.in)
			}
		})
	}
}

package store

import (
	"errors"
	"testing"
)

func TestLoadZone(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		want    ZoneProblem // 0: loads
		wantErr string
	}{
		{name: "an IANA name loads", in: "Europe/Istanbul"},
		{name: "UTC loads", in: "UTC"},
		{name: "no name is refused", in: "", want: ZoneMissing,
			wantErr: "missing timezone: use an IANA name such as Europe/Istanbul"},
		{name: "Local is refused: it is the machine's zone", in: "Local", want: ZoneLocal,
			wantErr: `timezone "Local" means the server's own zone: use an IANA name such as Europe/Istanbul`},
		{name: "local in another case is refused the same way", in: "LOCAL", want: ZoneLocal,
			wantErr: `timezone "LOCAL" means the server's own zone: use an IANA name such as Europe/Istanbul`},
		{name: "an unknown name is refused", in: "Mars/Olympus", want: ZoneUnknown,
			wantErr: `unknown timezone "Mars/Olympus": use an IANA name such as Europe/Istanbul`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := LoadZone(tc.in)
			if tc.want == 0 {
				if err != nil || loc == nil || loc.String() != tc.in {
					t.Fatalf("LoadZone(%q) = %v, %v", tc.in, loc, err)
				}
				return
			}
			var ze *ZoneError
			if !errors.As(err, &ze) || ze.Problem != tc.want || err.Error() != tc.wantErr {
				t.Fatalf("LoadZone(%q) error = %v; want %q", tc.in, err, tc.wantErr)
			}
		})
	}
}

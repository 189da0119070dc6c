package i18n_test

import (
	"testing"

	"talkbot/i18n"
)

func TestLower(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		lang     i18n.Lang
		in, want string
	}{
		{"Turkish dotted capital I lowers to i", i18n.Turkish, "İSTANBUL", "istanbul"},
		{"Turkish dotless capital I lowers to ı", i18n.Turkish, "IĞDIR", "ığdır"},
		{"Turkish keeps both in one word", i18n.Turkish, "DİYARBAKIR", "diyarbakır"},
		{"English lowers I to i", i18n.English, "ISTANBUL", "istanbul"},
		{"English keeps the dot of İ as a combining mark", i18n.English, "İ", "i\u0307"},
		{"Ukrainian is plain Unicode", i18n.Ukrainian, "ПЕРЕМИРʼЯ Її", "перемирʼя її"},
		{"Russian is plain Unicode", i18n.Russian, "ПЕРЕГОВОРЫ В СТАМБУЛЕ", "переговоры в стамбуле"},
		{"an unknown language is plain Unicode", i18n.Lang("xx"), "IĞDIR", "iğdir"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := i18n.Lower(tc.lang, tc.in); got != tc.want {
				t.Errorf("Lower(%s, %q) = %q; want %q", tc.lang, tc.in, got, tc.want)
			}
		})
	}
}

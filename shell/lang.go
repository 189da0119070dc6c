package shell

import (
	"fmt"
	"slices"
	"strings"

	"talkbot/i18n"
)

// EnvLang is the language a POSIX environment asks for: LC_ALL, else
// LC_MESSAGES, else LANG, as setlocale reads them ("uk_UA.UTF-8" is
// Ukrainian); English when none names a language talkbot speaks.
func EnvLang(getenv func(string) string) i18n.Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			// The first one set decides, even "C": that is how every
			// other program on the terminal chooses its language.
			return i18n.Match(v)
		}
	}
	return i18n.English
}

// ParseLang reads --lang: one of the catalogs' languages exactly, so a
// typo is refused rather than quietly read as English.
func ParseLang(v string) (i18n.Lang, error) {
	langs := i18n.Langs()
	if l := i18n.Lang(strings.ToLower(strings.TrimSpace(v))); slices.Contains(langs, l) {
		return l, nil
	}
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = string(l)
	}
	return "", fmt.Errorf("--lang %q: choose one of %s", v, strings.Join(names, ", "))
}

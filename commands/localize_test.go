package commands_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot"
	"talkbot/bot/discordtest"
	"talkbot/commands"
	"talkbot/i18n"
)

// ourLocales are the Discord locales talkbot translates the tree into:
// those of every catalog but English (uk, ru, tr, and any added since).
func ourLocales(t *testing.T) map[discordgo.Locale]i18n.Lang {
	t.Helper()
	out := map[discordgo.Locale]i18n.Lang{}
	for loc := range discordgo.Locales {
		if lang := i18n.Match(string(loc)); lang != i18n.English {
			out[loc] = lang
		}
	}
	for _, want := range []discordgo.Locale{discordgo.Ukrainian, discordgo.Russian, discordgo.Turkish} {
		if _, ok := out[want]; !ok {
			t.Fatalf("no catalog for Discord's %s", want)
		}
	}
	return out
}

// localizedName is Discord's rule for command and option names without the
// apostrophe it also allows: a name a reader can type on any keyboard.
var localizedName = regexp.MustCompile(`^[-_\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

func TestLocalizationsCoverTheTreeAndFollowDiscordRules(t *testing.T) {
	t.Parallel()
	defs := commands.New(nil, nil, nil).Definitions()
	ourLocales := ourLocales(t)
	// defaults: every default option name of the command being walked.
	var defaults map[string]bool
	checkName := func(path, def string, locs map[discordgo.Locale]string) {
		t.Helper()
		for loc, lang := range ourLocales {
			n, ok := locs[loc]
			switch {
			case !ok:
				t.Errorf("%s: no %s name for %q", path, loc, def)
			case !localizedName.MatchString(n):
				t.Errorf("%s: %s name %q breaks Discord's pattern", path, loc, n)
			case i18n.Lower(lang, n) != n || strings.ToLower(n) != n:
				t.Errorf("%s: %s name %q is not lowercase", path, loc, n)
			case n != def && defaults[n]:
				// "Localized option names ... must be distinct from all
				// other default option names of that command."
				t.Errorf("%s: %s name %q is another option's default name", path, loc, n)
			}
		}
		for loc := range locs {
			if _, ok := ourLocales[loc]; !ok {
				t.Errorf("%s: a name for locale %q, which is not ours", path, loc)
			}
		}
	}
	checkText := func(path, what, def string, locs map[discordgo.Locale]string) {
		t.Helper()
		for loc := range ourLocales {
			d, ok := locs[loc]
			if n := utf8.RuneCountInString(d); !ok || n < 1 || n > 100 {
				t.Errorf("%s: %s %s %q (%d characters) for %q", path, loc, what, d, n, def)
			}
		}
	}
	// siblings: in each locale, names unique among the options of one level,
	// and none equal to another option's default name there (Discord's
	// "distinct from all other default option names").
	siblings := func(path string, opts []*discordgo.ApplicationCommandOption) {
		t.Helper()
		for loc := range ourLocales {
			seen := map[string]string{}
			for _, o := range opts {
				n := o.Name
				if l, ok := o.NameLocalizations[loc]; ok {
					n = l
				}
				if other, dup := seen[n]; dup {
					t.Errorf("%s: %s name %q for both %q and %q", path, loc, n, other, o.Name)
				}
				seen[n] = o.Name
			}
			for _, o := range opts {
				for _, p := range opts {
					if p != o && o.NameLocalizations[loc] == p.Name {
						t.Errorf("%s: %s name of %q is %q, the default name of its sibling", path, loc, o.Name, p.Name)
					}
				}
			}
		}
	}
	var walk func(path string, opts []*discordgo.ApplicationCommandOption)
	walk = func(path string, opts []*discordgo.ApplicationCommandOption) {
		siblings(path, opts)
		for _, o := range opts {
			p := path + " " + o.Name
			checkName(p, o.Name, o.NameLocalizations)
			checkText(p, "description", o.Description, o.DescriptionLocalizations)
			for _, c := range o.Choices {
				checkText(p+" choice "+c.Name, "choice name", c.Name, c.NameLocalizations)
			}
			walk(p, o.Options)
		}
	}
	if len(defs) == 0 {
		t.Fatal("no commands")
	}
	var collect func(opts []*discordgo.ApplicationCommandOption)
	collect = func(opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			defaults[o.Name] = true
			collect(o.Options)
		}
	}
	for _, d := range defs {
		defaults = map[string]bool{}
		collect(d.Options)
		if d.NameLocalizations == nil || d.DescriptionLocalizations == nil {
			t.Errorf("/%s: no localisations", d.Name)
			continue
		}
		checkName("/"+d.Name, d.Name, *d.NameLocalizations)
		checkText("/"+d.Name, "description", d.Description, *d.DescriptionLocalizations)
		walk("/"+d.Name, d.Options)
	}
	names := map[string]string{}
	for _, d := range defs {
		for loc := range ourLocales {
			n := (*d.NameLocalizations)[loc]
			if other, dup := names[string(loc)+n]; dup {
				t.Errorf("%s: /%s and /%s are both %q", loc, other, d.Name, n)
			}
			names[string(loc)+n] = d.Name
		}
	}
}

// The localisations change what Discord shows, never what it sends: the
// default names that route requests stay English, and asking twice gives
// the same tree (nothing accumulates in the command table).
func TestLocalizedTreeKeepsItsDefaultNames(t *testing.T) {
	t.Parallel()
	c := commands.New(nil, nil, nil)
	first, _ := json.Marshal(c.Definitions())
	second, _ := json.Marshal(c.Definitions())
	if string(first) != string(second) {
		t.Error("a second Definitions() differs from the first")
	}
	var paths []string
	var walk func(prefix string, opts []*discordgo.ApplicationCommandOption)
	walk = func(prefix string, opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			if o.Type == discordgo.ApplicationCommandOptionSubCommand {
				paths = append(paths, prefix+"/"+o.Name)
			}
			if o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
				walk(prefix+"/"+o.Name, o.Options)
			}
		}
	}
	for _, d := range c.Definitions() {
		walk(d.Name, d.Options)
	}
	for _, want := range []string{"talks/next", "talks-admin/setup", "talks-edit/round/status"} {
		if !slices.Contains(paths, want) {
			t.Errorf("no %s among %v", want, paths)
		}
	}
}

func TestLocalizedTreePassesTheFakeDiscord(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s, err := discordgo.New("Bot " + fake.Token)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	rb, err := bot.Rebase(fake.APIBase, tr)
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: rb, Timeout: 10 * time.Second}
	defs := commands.New(nil, nil, nil).Definitions()
	got, err := s.ApplicationCommandBulkOverwrite(fake.ApplicationID, "", defs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(defs) {
		t.Errorf("registered %d commands; want %d", len(got), len(defs))
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("violations:\n%s", strings.Join(v, "\n"))
	}
	// The fake keeps what it was sent: the Ukrainian name arrived.
	for _, c := range fake.Commands("") {
		if c.Name == "talks" && (c.NameLocalizations == nil || (*c.NameLocalizations)[discordgo.Ukrainian] == "") {
			t.Errorf("/talks registered without its Ukrainian name: %+v", c.NameLocalizations)
		}
	}
}

// pendingCommandWords are catalog entries written ahead for commands other
// branches add (issue 12's /talks-admin events, issue 13's feeds and news),
// so that their merge finds its translations.
var pendingCommandWords = []string{
	"cmd.talks.news.", "cmd.talks-admin.events.", "cmd.talks-admin.setup.option.news.",
	"cmd.talks-edit.feed.", "cmd.talks-edit.inbox.",
}

// A renamed or removed command leaves no words behind in the catalogs.
func TestCatalogHasNoStaleCommandWords(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	var walk func(key string, opts []*discordgo.ApplicationCommandOption)
	walk = func(key string, opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			k := key + ".option." + o.Name
			if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
				k = key + "." + o.Name
			}
			used[k+".name"], used[k+".description"] = true, true
			for _, c := range o.Choices {
				used[k+".choice."+strings.ReplaceAll(fmt.Sprint(c.Value), ".", "_")+".name"] = true
			}
			walk(k, o.Options)
		}
	}
	for _, d := range commands.New(nil, nil, nil).Definitions() {
		used["cmd."+d.Name+".name"], used["cmd."+d.Name+".description"] = true, true
		walk("cmd."+d.Name, d.Options)
	}
	for id := range cat.Messages(i18n.English) {
		if !strings.HasPrefix(id, "cmd.") || used[id] {
			continue
		}
		if !slices.ContainsFunc(pendingCommandWords, func(p string) bool { return strings.HasPrefix(id, p) }) {
			t.Errorf("en.toml has %q, which no command uses", id)
		}
	}
}

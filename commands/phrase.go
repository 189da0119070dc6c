package commands

import (
	"errors"
	"slices"
	"strings"

	"talkbot/i18n"
)

// phrase is a message named before its reader is known: a refusal built
// deep in a parser or a permission check is put in words only where the
// reply is made (Handle), in the reader's language. Its English is what
// Error() says, for logs and the shell.
type phrase struct {
	id     string
	count  int
	plural bool
	kv     []any
}

// say names message id with arguments as name, value pairs; a value that
// is itself a sayer (a phrase, a command) is put in the same words.
func say(id string, kv ...any) phrase { return phrase{id: id, kv: kv} }

// sayN is say for a plural message ({{.Count}}).
func sayN(id string, count int, kv ...any) phrase {
	return phrase{id: id, count: count, plural: true, kv: kv}
}

// sayer is an argument put in words once the reader is known.
type sayer interface{ in(w words) string }

func (p phrase) in(w words) string {
	kv := p.kv
	if slices.ContainsFunc(kv, func(v any) bool { _, ok := v.(sayer); return ok }) {
		kv = slices.Clone(kv)
		for i := 1; i < len(kv); i += 2 {
			if s, ok := kv[i].(sayer); ok {
				kv[i] = s.in(w)
			}
		}
	}
	if p.plural {
		return w.n(p.id, p.count, kv...)
	}
	return w.t(p.id, kv...)
}

// cmdRef is a slash command as its reader sees it (see words.command).
type cmdRef struct {
	path string
	opts []string
}

func cmdOf(path string, opts ...string) cmdRef { return cmdRef{path, opts} }

func (c cmdRef) in(w words) string { return w.command(c.path, c.opts...) }

// said is text already fixed whatever the language (typed input, ids).
type said string

func (s said) in(words) string { return string(s) }

// sayers joins phrases as a list in the reader's words: "a, b and c".
type sayers []sayer

func (l sayers) in(w words) string {
	items := make([]string, len(l))
	for i, s := range l {
		items[i] = s.in(w)
	}
	return w.andList(items)
}

// andList joins "a", "b" and "c" as "a, b and c" in the reader's words.
func (w words) andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return w.t("list.and", "List", strings.Join(items[:len(items)-1], ", "), "Last", items[len(items)-1])
}

// saidError is a UserError whose message is a phrase: Handle puts it in
// the reader's words; until then its Message is English.
type saidError struct {
	ue *UserError
	p  phrase
}

func (e *saidError) Error() string { return e.ue.Message }
func (e *saidError) Unwrap() error { return e.ue }

// sayError is a user error in the reader's language.
func sayError(id string, kv ...any) error { return sayErr(say(id, kv...)) }

func sayErr(p phrase) error {
	return &saidError{ue: &UserError{Message: p.in(english())}, p: p}
}

// inWords puts a user error whose message is a phrase in w's words.
func inWords(err error, w words) {
	var se *saidError
	if errors.As(err, &se) {
		se.ue.Message = se.p.in(w)
	}
}

// listRef is words.listOf once the reader is known.
type listRef struct {
	names []string
	n     int
}

func (l listRef) in(w words) string { return w.listOf(l.names, l.n) }

// option is an option's name as the reader sees it in Discord: "track" is
// "переговори" in /переговори-адмін.
func (w words) option(path, name string) string {
	if n, ok := w.lookup("cmd." + strings.ReplaceAll(path, "/", ".") + ".option." + name + ".name"); ok {
		return n
	}
	return name
}

// detail is an English detail from a library (cron's parser, a date
// parser): English readers read it as it always read; others read
// message id, which says where it comes from and quotes it ({{.Detail}})
// in a code span, for them to pass on rather than to read.
type detail struct{ id, text string }

func (d detail) in(w words) string {
	if w.lang() == i18n.English {
		return d.text
	}
	return w.t(d.id, "Detail", echoCode(d.text))
}

// libText is a library's English (a feed parser's complaint, a network
// error) inside a reply: English readers read it as before; others read
// it quoted in a code span, as a detail to pass on.
type libText struct{ english, raw string }

func (l libText) in(w words) string {
	if w.lang() == i18n.English {
		return l.english
	}
	return echoCode(l.raw)
}

package i18n

import (
	"fmt"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
)

// Placeholders lists the arguments ({{.Name}}) the message's forms use,
// sorted and once each, or says why a form is not a valid template.
func (m Message) Placeholders() ([]string, error) {
	seen := map[string]bool{}
	for form, text := range m.Forms {
		if !strings.Contains(text, "{{") {
			continue // no actions, nothing to parse
		}
		t, err := template.New(m.ID).Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", m.ID, form, err)
		}
		for _, t := range t.Templates() {
			fields(t.Root, seen)
		}
	}
	return slices.Sorted(func(yield func(string) bool) {
		for k := range seen {
			if !yield(k) {
				return
			}
		}
	}), nil
}

// fields collects the first identifier of every .Field in the template.
func fields(n parse.Node, seen map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			fields(c, seen)
		}
	case *parse.ActionNode:
		fields(n.Pipe, seen)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			fields(c, seen)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			fields(a, seen)
		}
	case *parse.FieldNode:
		seen[n.Ident[0]] = true
	case *parse.IfNode:
		fields(n.Pipe, seen)
		fields(n.List, seen)
		fields(n.ElseList, seen)
	case *parse.RangeNode:
		fields(n.Pipe, seen)
		fields(n.List, seen)
		fields(n.ElseList, seen)
	case *parse.WithNode:
		fields(n.Pipe, seen)
		fields(n.List, seen)
		fields(n.ElseList, seen)
	}
}

package dataset

import (
	"fmt"
	"regexp"
	"strings"
)

// The YAML library reports a badly indented line late and vaguely: "did
// not find expected '-' indicator" names the line where the enclosing
// block began, and "mapping values are not allowed" reads as a quoting
// problem. misindented re-reads the block structure from the indentation
// alone to find the line at fault and the column it belongs at.

// level is one open block: a mapping whose keys, or a list whose items,
// start at indent (0-based); line is the last line seen at that level.
type level struct {
	indent int
	item   bool
	line   int
}

// indentProblem is a line whose indentation matches no open block.
type indentProblem struct {
	line, col int // 1-based, col is where the line's text starts
	msg       string
}

// keyLine matches a block mapping key ("name:" or "name: value"), quoted
// or plain; group 1 is the value.
var keyLine = regexp.MustCompile(`^(?:"[^"]*"|'[^']*'|[^\s#'"\[{&*!|>%@-][^#]*?|-[^\s#]*?):(?:\s+(.*))?$`)

// misindented returns the first line at or after from (1-based) whose
// indentation contradicts the blocks above it.
func misindented(data []byte, from int) (indentProblem, bool) {
	lines := strings.Split(string(data), "\n")
	var stack []level
	opens := -1     // indent of a key whose value is an indented block, or -1
	skipAbove := -1 // skip lines indented more than this (a block scalar)
	flowDepth := 0  // open [ and { of a flow value spanning lines
	for n, raw := range lines {
		lineNo := n + 1
		text := strings.TrimRight(raw, " \r")
		content := strings.TrimLeft(text, " ")
		indent := len(text) - len(content)
		if content == "" || strings.HasPrefix(content, "#") {
			continue
		}
		if strings.HasPrefix(content, "\t") {
			return indentProblem{}, false // tabs are reported on their own
		}
		if skipAbove >= 0 {
			if indent > skipAbove {
				continue
			}
			skipAbove = -1
		}
		if flowDepth > 0 {
			flowDepth += bracketBalance(content)
			continue
		}
		if content == "---" || content == "..." {
			stack, opens = nil, -1
			continue
		}
		item := content == "-" || strings.HasPrefix(content, "- ")
		switch {
		case opens >= 0 && (indent > opens || indent == opens && item):
			stack = append(stack, level{indent: indent, item: item, line: lineNo})
		case len(stack) == 0:
			stack = append(stack, level{indent: indent, item: item, line: lineNo})
		default:
			before := stack
			for len(stack) > 0 && stack[len(stack)-1].indent > indent {
				stack = stack[:len(stack)-1]
			}
			// A list may sit at the indentation of the key that holds it;
			// a key there closes the list.
			if top := len(stack) - 1; top >= 0 && stack[top].indent == indent && stack[top].item && !item {
				stack = stack[:top]
			}
			top := len(stack) - 1
			if top < 0 || stack[top].indent != indent || stack[top].item != item {
				if !item && !keyLine.MatchString(content) && top >= 0 && indent > stack[top].indent {
					opens = -1
					continue // the continuation of a plain value over several lines
				}
				if lineNo >= from {
					return badIndent(before, lineNo, indent, item), true
				}
				stack = append(stack, level{indent: indent, item: item, line: lineNo})
				top = len(stack) - 1
			}
			stack[top].line = lineNo
		}
		opens = -1
		// What follows "- " is the first line of the item's content.
		rest, restIndent := content, indent
		for rest == "-" || strings.HasPrefix(rest, "- ") {
			dash := restIndent
			after := strings.TrimLeft(strings.TrimPrefix(rest, "-"), " ")
			restIndent += len(rest) - len(after)
			rest = after
			if rest == "" {
				opens = dash // the item's value is the block below
				break
			}
			if rest == "-" || strings.HasPrefix(rest, "- ") {
				stack = append(stack, level{indent: restIndent, item: true, line: lineNo})
			} else if keyLine.MatchString(rest) {
				stack = append(stack, level{indent: restIndent, line: lineNo})
			}
		}
		m := keyLine.FindStringSubmatch(rest)
		if m == nil {
			continue
		}
		switch value := strings.TrimSpace(stripComment(m[1])); {
		case value == "":
			opens = restIndent
		case value[0] == '|' || value[0] == '>':
			skipAbove = restIndent
		case value[0] == '[' || value[0] == '{':
			flowDepth = bracketBalance(value)
		}
	}
	return indentProblem{}, false
}

// badIndent says where a line at indent belongs among the blocks that were
// open above it.
func badIndent(open []level, line, indent int, item bool) indentProblem {
	what := "key"
	if item {
		what = "list item"
	}
	p := indentProblem{line: line, col: indent + 1}
	var best *level
	for i := range open {
		l := &open[i]
		if l.item != item {
			continue
		}
		if best == nil || abs(l.indent-indent) < abs(best.indent-indent) || abs(l.indent-indent) == abs(best.indent-indent) && l.indent > best.indent {
			best = l
		}
	}
	if !item {
		for _, l := range open {
			if l.item && l.indent == indent {
				p.msg = fmt.Sprintf("bad indentation: this key starts at column %d, where the list items of line %d start: begin a new item with \"- \"", indent+1, l.line)
				if best != nil {
					p.msg += fmt.Sprintf(", or indent it to column %d like the key on line %d", best.indent+1, best.line)
				}
				return p
			}
		}
	}
	if best == nil {
		p.msg = fmt.Sprintf("bad indentation: this %s starts at column %d, which lines up with nothing above it: indent entries of one block to the same column", what, indent+1)
		return p
	}
	p.msg = fmt.Sprintf("bad indentation: this %s starts at column %d; indent it to column %d, like the %s on line %d", what, indent+1, best.indent+1, what, best.line)
	return p
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// bracketBalance counts the [ and { that s opens and does not close,
// outside quotes.
func bracketBalance(s string) int {
	depth := 0
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '{':
			depth++
		case r == ']' || r == '}':
			depth--
		case r == '#':
			return depth
		}
	}
	return depth
}

// stripComment drops a " #" comment from a plain value.
func stripComment(v string) string {
	if i := strings.Index(v, " #"); i >= 0 && !strings.ContainsAny(v[:i], `"'`) {
		return v[:i]
	}
	return v
}

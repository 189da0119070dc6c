package config

import (
	"fmt"
	"strings"
)

// EnvExample renders .env.example from the options table.
func EnvExample() string {
	var b strings.Builder
	b.WriteString("# talkbot settings. Copy to .env (never commit .env) or set them in the environment.\n")
	for _, o := range Options() {
		b.WriteString("\n")
		for _, line := range wrap(o.Help, 76) {
			fmt.Fprintf(&b, "# %s\n", line)
		}
		v := o.Example
		if v == "" && !o.Secret {
			v = o.Default
		}
		fmt.Fprintf(&b, "%s=%s\n", o.Name, v)
	}
	return b.String()
}

// MarkdownTable renders the README's configuration table.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| Variable | Default | Read by | What it does |\n|---|---|---|---|\n")
	for _, o := range Options() {
		def := "(empty)"
		if o.Default != "" {
			def = "`" + o.Default + "`"
		}
		var cmds []string
		for _, c := range o.UsedBy {
			cmds = append(cmds, "`"+c+"`")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", o.Name, def, strings.Join(cmds, ", "), o.Help)
	}
	return b.String()
}

func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

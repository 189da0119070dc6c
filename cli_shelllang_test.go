package main

import (
	"strings"
	"testing"
)

// The shell speaks the language of the terminal's locale, or of --lang;
// Turkish input is lower-cased by Turkish rules and still finds the
// English command, option and choice names.
func TestShellSpeaksTheLocalesLanguage(t *testing.T) {
	cases := []struct {
		name       string
		vars       map[string]string
		args       []string
		stdin      string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"LANG=tr_TR.UTF-8 answers in Turkish, upper-case input and all",
			map[string]string{"LANG": "tr_TR.UTF-8"}, nil,
			"/TALKS ROUND NUMBER:1\n/TALKS POSITIONS SIDE:UKRAINE\n/weather\n", 1,
			[]string{"1. tur · İstanbul'da Rusya", "Ukrayna tutumları · "}, []string{"bilinmeyen komut /weather"}},
		{"LC_ALL wins over LANG", map[string]string{"LANG": "tr_TR.UTF-8", "LC_ALL": "uk_UA.UTF-8"}, nil,
			"/talks round number:1\n", 0, []string{"Раунд 1 · "}, nil},
		{"LC_MESSAGES wins over LANG", map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, nil,
			"/talks round number:1\n", 0, []string{"Раунд 1 · "}, nil},
		{"--lang wins over the environment", map[string]string{"LANG": "tr_TR.UTF-8"}, []string{"--lang", "en"},
			"/talks round number:1\n", 0, []string{"Round 1 · Russia"}, nil},
		{"a language talkbot does not speak is English", map[string]string{"LANG": "pt_BR.UTF-8"}, nil,
			"/talks round number:1\n", 0, []string{"Round 1 · Russia"}, nil},
		{"a bad --lang is refused naming the flag and the choices", nil, []string{"--lang", "de"},
			"", 2, nil, []string{`--lang "de": choose one of en, `}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := sqliteEnv(t)
			for k, v := range tc.vars {
				env[k] = v
			}
			r := talkbot(t, env, tc.stdin, append([]string{"shell"}, tc.args...)...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d; want %d (stdout %q, stderr %q)", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			for _, want := range tc.wantStdout {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout has no %q:\n%s", want, r.stdout)
				}
			}
			for _, want := range tc.wantStderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr has no %q:\n%s", want, r.stderr)
				}
			}
		})
	}
}

package commands_test

import (
	"testing"

	"talkbot/commands"
	"talkbot/store"
)

const editorRole = "301"

func TestEditorsReplies(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	cases := []struct {
		name string
		req  commands.Request
		role string // the editor role stored after the request
	}{
		{"editors_none_set", admin("talks-admin/editors"), ""},
		{"editors_clear_with_none_set", admin("talks-admin/editors", "clear:true"), ""},
		{"editors_set", admin("talks-admin/editors", "role:"+editorRole), editorRole},
		{"editors_set_again_kept", admin("talks-admin/editors", "role:"+editorRole), editorRole},
		{"editors_shown", admin("talks-admin/editors"), editorRole},
		{"editors_shown_with_clear_false", admin("talks-admin/editors", "clear:false"), editorRole},
		{"editors_refused_role_and_clear", admin("talks-admin/editors", "role:"+pingRole, "clear:true"), editorRole},
		{"editors_refused_for_everyone", admin("talks-admin/editors", "role:"+guild), editorRole},
		{"editors_refused_bad_role", admin("talks-admin/editors", "role:editors"), editorRole},
		{"editors_replaced", admin("talks-admin/editors", "role:"+pingRole), pingRole},
		{"editors_cleared", admin("talks-admin/editors", "clear:true"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, answer(t, c, tc.req))
			got, err := s.EditorRole(t.Context(), guild)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.role {
				t.Errorf("editor role = %q after the request; want %q", got, tc.role)
			}
		})
	}
}

// Only members who may manage the server set its editors, whatever
// Discord was told to show; and one server's role is not another's.
func TestEditorsNeedManageServer(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	r := admin("talks-admin/editors", "role:"+editorRole)
	r.MemberPermissions = 0
	if _, err := c.Handle(t.Context(), r); err == nil {
		t.Fatal("a member without Manage Server set the editor role")
	} else if _, ok := commands.AsUserError(err); !ok {
		t.Fatalf("refusal is not a user error: %v", err)
	}
	if got, err := s.EditorRole(t.Context(), guild); err != nil || got != "" {
		t.Errorf("editor role = %q, %v after a refusal; want none", got, err)
	}
	if _, err := c.Handle(t.Context(), admin("talks-admin/editors", "role:"+editorRole)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.EditorRole(t.Context(), "101"); err != nil || got != "" {
		t.Errorf("another server's editor role = %q, %v; want none", got, err)
	}
}

// setup saves which changes a channel hears about, and show says it.
func TestSetupSavesUpdates(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	for _, tc := range []struct {
		typed string
		want  store.UpdatesMode
	}{
		{"", store.UpdatesRounds},
		{"all", store.UpdatesAll},
		{"none", store.UpdatesNone},
		{"rounds", store.UpdatesRounds},
	} {
		if _, err := c.Handle(t.Context(), admin("talks-admin/setup", "channel:"+here, "updates:"+tc.typed)); err != nil {
			t.Fatal(err)
		}
		fs, err := s.Follows(t.Context(), guild)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].Updates != tc.want {
			t.Errorf("after updates:%q the follows are %+v; want one with updates %q", tc.typed, fs, tc.want)
		}
	}
	if _, err := c.Handle(t.Context(), admin("talks-admin/setup", "channel:"+here, "updates:some")); err == nil {
		t.Error("updates:some was accepted")
	}
}

package storetest

import (
	"reflect"
	"testing"

	"talkbot/store"
)

func testPostLanguage(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	check := func(guild, wantLang, wantRole string) {
		t.Helper()
		if got, err := s.PostLanguage(ctx, guild); err != nil || got != wantLang {
			t.Errorf("PostLanguage(%s) = %q, %v; want %q", guild, got, err, wantLang)
		}
		if got, err := s.EditorRole(ctx, guild); err != nil || got != wantRole {
			t.Errorf("EditorRole(%s) = %q, %v; want %q", guild, got, err, wantRole)
		}
	}
	check("g1", "", "")
	// The editor role first, then the language: the row is shared.
	if err := s.SaveEditorRole(ctx, "g1", "r1"); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePostLanguage(ctx, "g1", "uk"); err != nil {
		t.Fatal(err)
	}
	check("g1", "uk", "r1")
	// The language first, then the role.
	if err := s.SavePostLanguage(ctx, "g2", "tr"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveEditorRole(ctx, "g2", "r2"); err != nil {
		t.Fatal(err)
	}
	check("g2", "tr", "r2")
	if err := s.SavePostLanguage(ctx, "g1", "ru"); err != nil {
		t.Fatal(err)
	}
	check("g1", "ru", "r1")
	check("g2", "tr", "r2")
	if err := s.SaveEditorRole(ctx, "g1", ""); err != nil {
		t.Fatal(err)
	}
	check("g1", "ru", "")
	if err := s.SavePostLanguage(ctx, "", "uk"); err == nil {
		t.Error("SavePostLanguage without a server succeeded")
	}
}

func testSubscriptionLanguage(t *testing.T, open Factory) {
	s, _ := openWith(t, open, nil)
	ctx := t.Context()
	uk := store.Subscription{UserID: "u1", Track: "ta", Language: "uk"}
	plain := store.Subscription{UserID: "u1", Track: "tb"}
	saveSubscriptions(t, s, uk, plain)
	got, err := s.Subscriptions(ctx, "u1")
	if err != nil || !reflect.DeepEqual(got, []store.Subscription{uk, plain}) {
		t.Errorf("Subscriptions(u1) = %+v, %v; want %+v", got, err, []store.Subscription{uk, plain})
	}
	// Subscribing again from a Turkish Discord writes in Turkish.
	uk.Language = "tr"
	saveSubscriptions(t, s, uk)
	of, err := s.SubscriptionsOf(ctx, "ta")
	if err != nil || !reflect.DeepEqual(of, []store.Subscription{uk}) {
		t.Errorf("SubscriptionsOf(ta) after subscribing again = %+v, %v; want %+v", of, err, []store.Subscription{uk})
	}
}

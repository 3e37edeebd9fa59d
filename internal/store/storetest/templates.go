package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func sameTemplate(g, w accord.BriefTemplate) bool {
	if g.ID != w.ID || g.WorkspaceID != w.WorkspaceID || g.Name != w.Name || !sameTime(g.CreatedAt, w.CreatedAt) ||
		len(g.Questions) != len(w.Questions) {
		return false
	}
	for i := range g.Questions {
		if g.Questions[i] != w.Questions[i] {
			return false
		}
	}
	return true
}

func testBriefTemplates(t *testing.T, st accord.Store, raw *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	at := time.Date(2030, 2, 3, 4, 5, 6, 7008009, time.FixedZone("MSK", 3*3600))
	tpls := []accord.BriefTemplate{ // inserted out of name order
		{ID: "tpl_logo", WorkspaceID: a.Workspace.ID, Name: "Logo", CreatedAt: at, Questions: []accord.Question{
			{ID: "goal", Text: "What is the logo for?", Required: true},
			{ID: "q2", Text: "Colours you <like> & \"dislike\"? Цвета ✓"},
		}},
		{ID: "tpl_z_brand", WorkspaceID: a.Workspace.ID, Name: "Brand book", CreatedAt: T0}, // no questions yet
		{ID: "tpl_b_logo", WorkspaceID: b.Workspace.ID, Name: "Logo", CreatedAt: T0,
			Questions: []accord.Question{{ID: "who", Text: "Who is it for?", Required: true}}},
	}
	write(t, st, func(tx accord.Tx) error {
		for _, bt := range tpls {
			if err := tx.CreateBriefTemplate(bt); err != nil {
				return err
			}
		}
		return nil
	})
	list := func(ws string, want ...accord.BriefTemplate) {
		t.Helper()
		read(t, st, func(tx accord.Tx) error {
			got, err := tx.BriefTemplates(ws)
			if err != nil {
				return err
			}
			ok := len(got) == len(want)
			for i := 0; ok && i < len(got); i++ {
				ok = sameTemplate(got[i], want[i])
			}
			if !ok {
				t.Errorf("BriefTemplates(%s) = %+v\nwant %+v", ws, got, want)
			}
			return nil
		})
	}
	read(t, st, func(tx accord.Tx) error {
		for _, want := range tpls {
			got, err := tx.BriefTemplate(want.WorkspaceID, want.ID)
			if err != nil || !sameTemplate(got, want) {
				t.Errorf("BriefTemplate(%s, %s) = %+v, %v; want %+v", want.WorkspaceID, want.ID, got, err, want)
			}
		}
		_, err := tx.BriefTemplate(b.Workspace.ID, "tpl_logo")
		wantNotFound(t, err, "brief_template.not_found", "BriefTemplate of another workspace")
		_, err = tx.BriefTemplate(a.Workspace.ID, "tpl_nope")
		wantNotFound(t, err, "brief_template.not_found", "BriefTemplate(unknown)")
		return nil
	})
	// No questions are stored as an empty JSON list, never null, for whatever reads the column.
	var qs string
	if err := raw.QueryRowContext(opCtx(t), `SELECT questions FROM brief_templates WHERE id = 'tpl_z_brand'`).Scan(&qs); err != nil || qs != "[]" {
		t.Errorf("questions column of a template without questions = %q, %v; want []", qs, err)
	}
	list(a.Workspace.ID, tpls[1], tpls[0]) // Brand book, Logo
	list(b.Workspace.ID, tpls[2])
	list("ws_none")

	del := func(ws, id string) error {
		return st.Write(opCtx(t), func(tx accord.Tx) error { return tx.DeleteBriefTemplate(ws, id) })
	}
	wantNotFound(t, del(b.Workspace.ID, "tpl_logo"), "brief_template.not_found", "DeleteBriefTemplate through another workspace")
	list(a.Workspace.ID, tpls[1], tpls[0])
	if err := del(a.Workspace.ID, "tpl_logo"); err != nil {
		t.Fatalf("DeleteBriefTemplate(tpl_logo): %v", err)
	}
	wantNotFound(t, del(a.Workspace.ID, "tpl_logo"), "brief_template.not_found", "DeleteBriefTemplate a second time")
	list(a.Workspace.ID, tpls[1])
	list(b.Workspace.ID, tpls[2])

	// Questions replaced; never through another workspace.
	newQs := []accord.Question{{ID: "q_new", Text: "What should we ask next time?", Required: false}}
	write(t, st, func(tx accord.Tx) error { return tx.SetTemplateQuestions(a.Workspace.ID, "tpl_z_brand", newQs) })
	read(t, st, func(tx accord.Tx) error {
		got, err := tx.BriefTemplate(a.Workspace.ID, "tpl_z_brand")
		if err != nil || len(got.Questions) != 1 || got.Questions[0] != newQs[0] {
			t.Errorf("after SetTemplateQuestions: %+v, %v", got.Questions, err)
		}
		return nil
	})
	err := st.Write(opCtx(t), func(tx accord.Tx) error { return tx.SetTemplateQuestions(b.Workspace.ID, "tpl_z_brand", newQs) })
	wantNotFound(t, err, "brief_template.not_found", "SetTemplateQuestions through another workspace")
}

package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/accordapp/accord"
)

// starterQuestions are the catalog keys of a starter brief's questions; the first three are required.
var starterQuestions = []string{"brief.starter.q1", "brief.starter.q2", "brief.starter.q3", "brief.starter.q4",
	"brief.starter.q5", "brief.starter.q6", "brief.starter.q7", "brief.starter.q8", "brief.starter.q9"}

// starterPrefix marks the built-in templates' ids: "starter-" and a language.
const starterPrefix = "starter-"

// languageNames are the catalog keys that name each language in the reader's own.
var languageNames = map[string]string{"en": "lang_name.en", "ru": "lang_name.ru", "bg": "lang_name.bg"}

// StarterTemplates are the built-in briefs, one in each language Accord speaks, from the catalog;
// their names are in the reader's language.
func (a *App) StarterTemplates(reader string) []accord.BriefTemplate {
	var out []accord.BriefTemplate
	for _, lang := range accord.Languages {
		name := a.Catalog.T(reader, "brief.starter.name", map[string]any{"language": a.Catalog.T(reader, languageNames[lang], nil)})
		t := accord.BriefTemplate{ID: starterPrefix + lang, Name: name}
		for i, key := range starterQuestions {
			t.Questions = append(t.Questions, accord.Question{ID: "q" + strconv.Itoa(i+1),
				Text: a.Catalog.T(lang, key, nil), Required: i < 3})
		}
		out = append(out, t)
	}
	return out
}

// BriefTemplates lists the workspace's own brief templates.
func (a *App) BriefTemplates(ctx context.Context, f Freelancer) ([]accord.BriefTemplate, error) {
	var out []accord.BriefTemplate
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		out, err = tx.BriefTemplates(f.WorkspaceID)
		return err
	})
	return out, err
}

// briefTemplate finds a starter or one of the workspace's templates.
func (a *App) briefTemplate(tx accord.Tx, f Freelancer, id string) (accord.BriefTemplate, error) {
	if lang, ok := strings.CutPrefix(id, starterPrefix); ok {
		for _, t := range a.StarterTemplates(lang) {
			if t.ID == starterPrefix+lang {
				return t, nil
			}
		}
	}
	return tx.BriefTemplate(f.WorkspaceID, id)
}

// SaveBriefTemplate keeps an engagement's brief questions as a template for later engagements.
func (a *App) SaveBriefTemplate(ctx context.Context, f Freelancer, engagementID, name string) (accord.BriefTemplate, error) {
	var t accord.BriefTemplate
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		e, err := tx.Engagement(f.WorkspaceID, engagementID)
		if err != nil {
			return err
		}
		if t, err = accord.NewBriefTemplate(a.cmd(f.actor()), f.WorkspaceID, name, e.Brief.Questions); err != nil {
			return err
		}
		return tx.CreateBriefTemplate(t)
	})
	return t, err
}

// DeleteBriefTemplate removes one of the workspace's templates.
func (a *App) DeleteBriefTemplate(ctx context.Context, f Freelancer, id string) error {
	return a.Store.Write(ctx, func(tx accord.Tx) error { return tx.DeleteBriefTemplate(f.WorkspaceID, id) })
}

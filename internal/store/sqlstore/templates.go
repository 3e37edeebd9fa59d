package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/accordapp/accord"
)

// CreateBriefTemplate inserts a brief template, its questions as JSON.
func (t *Tx) CreateBriefTemplate(bt accord.BriefTemplate) error {
	qs := bt.Questions
	if qs == nil {
		qs = []accord.Question{} // stored as [], never null
	}
	b, err := json.Marshal(qs)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO brief_templates (id, workspace_id, name, questions, created_at) VALUES (?, ?, ?, ?, ?)`,
		bt.ID, bt.WorkspaceID, bt.Name, string(b), micros(bt.CreatedAt))
	return err
}

const templateCols = `id, workspace_id, name, questions, created_at`

func scanTemplate(s interface{ Scan(...any) error }) (accord.BriefTemplate, error) {
	var bt accord.BriefTemplate
	var qs string
	var at int64
	if err := s.Scan(&bt.ID, &bt.WorkspaceID, &bt.Name, &qs, &at); err != nil {
		return bt, notFound(err, "brief_template")
	}
	bt.CreatedAt = fromMicros(at)
	if err := json.Unmarshal([]byte(qs), &bt.Questions); err != nil {
		return bt, fmt.Errorf("brief template %s questions: %w", bt.ID, err)
	}
	return bt, nil
}

// BriefTemplate finds a brief template of a workspace.
func (t *Tx) BriefTemplate(workspaceID, id string) (accord.BriefTemplate, error) {
	return scanTemplate(t.row(`SELECT `+templateCols+` FROM brief_templates WHERE workspace_id = ? AND id = ?`, workspaceID, id))
}

// BriefTemplates lists a workspace's brief templates by name.
func (t *Tx) BriefTemplates(workspaceID string) ([]accord.BriefTemplate, error) {
	rows, err := t.rows(`SELECT `+templateCols+` FROM brief_templates WHERE workspace_id = ? ORDER BY name, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.BriefTemplate
	for rows.Next() {
		bt, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, bt)
	}
	return out, rows.Err()
}

// DeleteBriefTemplate removes a brief template of a workspace.
func (t *Tx) DeleteBriefTemplate(workspaceID, id string) error {
	res, err := t.exec(`DELETE FROM brief_templates WHERE workspace_id = ? AND id = ?`, workspaceID, id)
	return oneRow(res, err, "brief_template")
}

// SetTemplateQuestions replaces a brief template's questions.
func (t *Tx) SetTemplateQuestions(workspaceID, id string, qs []accord.Question) error {
	if qs == nil {
		qs = []accord.Question{}
	}
	b, err := json.Marshal(qs)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE brief_templates SET questions = ? WHERE workspace_id = ? AND id = ?`, string(b), workspaceID, id)
	return oneRow(res, err, "brief_template")
}

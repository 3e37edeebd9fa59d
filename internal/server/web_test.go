package server_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func form(t *testing.T, h *harness, path string, vals url.Values, header http.Header, jar []*http.Cookie) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", h.url+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	for _, c := range jar {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestSessionCookiesAndCrossOriginForms(t *testing.T) {
	h := newHarness(t)
	res := form(t, h, "/signup", url.Values{"name": {"Ana"}, "email": {"ana@studio.example"}, "password": {"correct horse battery"}}, nil, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
		t.Fatalf("signup: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "accord_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax", session)
	}
	jar := []*http.Cookie{session}
	// A form posted from another site is refused before it reaches a handler.
	cross := form(t, h, "/app/clients", url.Values{"name": {"Evil"}, "email": {"evil@x.example"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}, jar)
	if cross.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site form: %d, want 403", cross.StatusCode)
	}
	same := form(t, h, "/app/clients", url.Values{"name": {"Maria"}, "email": {"maria@client.example"}}, http.Header{"Sec-Fetch-Site": {"same-origin"}}, jar)
	if same.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin form: %d, want 303", same.StatusCode)
	}
	// Logging out ends the session in the store, not only in the browser.
	form(t, h, "/logout", nil, nil, jar)
	req, _ := http.NewRequest("GET", h.url+"/api/v1/clients", nil)
	req.AddCookie(session)
	r, _ := http.DefaultClient.Do(req)
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("after logout the old cookie still works: %d", r.StatusCode)
	}
}

func TestPortalLogoutEndsTheSession(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "100.00")
	inv := h.call("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(t)
	res := form(t, h, strings.TrimPrefix(inv["portal_url"].(string), h.url), nil, nil, nil)
	var portal *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "accord_portal" {
			portal = c
		}
	}
	if res.StatusCode != http.StatusSeeOther || portal == nil || !portal.HttpOnly {
		t.Fatalf("opening the portal link: %d, cookie %+v", res.StatusCode, portal)
	}
	req, _ := http.NewRequest("GET", h.url+"/portal/api/engagement", nil)
	req.AddCookie(portal)
	if r, _ := http.DefaultClient.Do(req); r.StatusCode != 200 {
		t.Fatalf("portal session does not work: %d", r.StatusCode)
	}
	if res := form(t, h, "/portal/logout", nil, nil, []*http.Cookie{portal}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/bye" {
		t.Fatalf("portal logout: %d to %q, want 303 to /portal/bye", res.StatusCode, res.Header.Get("Location"))
	}
	if r, _ := http.DefaultClient.Do(req); r.StatusCode != 401 {
		t.Fatalf("after logout the portal cookie still works: %d", r.StatusCode)
	}
}

func TestDashboardSummarizes(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00", "600.00")
	h.call("POST", "/api/v1/engagements/"+id+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "200.00"}, 201)
	sess := h.webLogin("ana@studio.example")
	req, _ := http.NewRequest("GET", h.url+"/app", nil)
	req.AddCookie(sess)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	page := html.UnescapeString(string(b))
	for _, want := range []string{
		"Waiting on clients: 1 · waiting on you: 0",
		"Invoiced €500.00 · paid €200.00 · due now €300.00",
		"3 December 2026 · ", "13 December 2026 · ",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	if strings.Index(page, "3 December 2026 · ") > strings.Index(page, "13 December 2026 · ") {
		t.Error("deadlines are not in date order")
	}
}

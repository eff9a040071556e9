package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/demo"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/webhook"
)

// notifyFlags are webhook notify's flags.
type notifyFlags struct {
	url, secret    string
	article, topic string
	title, version string
	apiBase        string
	demo           bool
	timeout        time.Duration
}

func notifyCommand(e *env) *cobra.Command {
	f := &notifyFlags{}
	cmd := &cobra.Command{
		Use:   "notify --article ID",
		Short: "Send a signed Intercom-shaped notification to a server, to test a deployment",
		Long: `Notify sends a server the notification Intercom would send about an article,
signed with the client secret as Intercom signs it (X-Hub-Signature), and says
how the server answered.

Without --demo the notification carries only the article's id, as a deletion
does: the server reads the article from Intercom and publishes what it finds,
so this tests a real deployment end to end. With --demo it carries the whole
article from the embedded demo help center, and --title changes its title, to
see an edit go live on the demo server ('webhook --demo').`,
		Example: `  webhook notify --demo --article 9000001 --title "Edited through a webhook"
  webhook notify --url https://help.example.com/webhooks/intercom --article 4082113`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runNotify(cmd.Context(), e, f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.url, "url", "http://"+defaultListen+"/webhooks/intercom", "the server's webhook endpoint `URL`")
	fs.StringVar(&f.secret, "client-secret", "", "the client `SECRET` the server checks signatures with (\"demo\" with --demo)")
	fs.StringVar(&f.article, "article", "", "the article's `ID` (required, except for --topic ping)")
	fs.StringVar(&f.topic, "topic", "article.updated", "the topic: "+strings.Join(topics(), ", ")+" or ping")
	fs.StringVar(&f.title, "title", "", "with --demo: give the article the title `TITLE`, as an edit in Intercom would")
	fs.StringVar(&f.version, "api-version", fetch.DefaultVersion, "the API version whose article shape the notification carries")
	fs.BoolVar(&f.demo, "demo", false, "send the whole article from the embedded demo help center")
	fs.StringVar(&f.apiBase, "api-base", "", "with --demo: the `URL` of the demo server's API (it prints it), where the article's images are")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "how long to wait for the server; Intercom waits 5s")
	return cmd
}

// topics are the article topics, sorted.
func topics() []string {
	var t []string
	for topic := range webhook.Topics {
		t = append(t, topic)
	}
	slices.Sort(t)
	return t
}

func runNotify(ctx context.Context, e *env, f *notifyFlags) error {
	switch {
	case f.topic != "ping" && !webhook.Topics[f.topic]:
		return cli.Usagef("--topic %q: use one of %s or ping", f.topic, strings.Join(topics(), ", "))
	case f.article == "" && f.topic != "ping":
		return cli.Usagef("--article ID is required")
	case f.title != "" && !f.demo:
		return cli.UsageError{Err: fmt.Errorf("--title needs --demo"),
			Hint: "A real server reads the article from Intercom: edit it there, then notify."}
	}
	secret, _, _ := strings.Cut(f.secret, ",")
	if secret == "" && f.demo {
		secret = "demo"
	}
	if secret == "" {
		return cli.UsageError{Err: fmt.Errorf("no client secret"),
			Hint: "Give the server's secret with --client-secret or INTERCOM_CLIENT_SECRET."}
	}
	n, err := notification(f)
	if err != nil {
		return err
	}
	id := "notif_" + strings.ToLower(rand.Text()) // a new one each time, or the server drops it as a duplicate
	n.ID = &id
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	sender := &fakeintercom.WebhookSender{URL: f.url, Secret: secret}
	status, err := sender.Send(ctx, n)
	if err != nil {
		return cli.WithHint(err, "Is the server running and listening there? Start the demo with 'go run ./cmd/webhook --demo'.")
	}
	switch {
	case status == http.StatusUnauthorized:
		return cli.UsageError{Err: fmt.Errorf("%s refused the signature (401)", f.url),
			Hint: "--client-secret must be the server's INTERCOM_CLIENT_SECRET (\"demo\" for 'webhook --demo')."}
	case status < 200 || status > 299:
		return fmt.Errorf("%s answered %d %s", f.url, status, http.StatusText(status))
	}
	fmt.Fprintf(e.stdout, "sent %s %s for article %s to %s: %d %s\n", f.topic, id, f.article, f.url, status, http.StatusText(status))
	return nil
}

// notification builds the notification to send: with --demo from the
// fake API's rendering of the demo article, edited as asked; otherwise
// with the article's id only.
func notification(f *notifyFlags) (fakeintercom.Notification, error) {
	if !f.demo {
		item, err := json.Marshal(map[string]string{"type": "article", "id": f.article})
		if err != nil {
			return fakeintercom.Notification{}, err
		}
		return fakeintercom.NewNotification(f.topic, item, time.Now()), nil
	}
	site, err := demo.Site()
	if err != nil {
		return fakeintercom.Notification{}, fmt.Errorf("loading the demo help center: %w", err)
	}
	if site.Article(f.article) == nil {
		return fakeintercom.Notification{}, cli.UsageError{Err: fmt.Errorf("--article %s: the demo help center has no such article", f.article),
			Hint: "Its articles include " + strings.Join(demoArticles(site, 5), ", ") + "."}
	}
	api := fakeintercom.New(site, fakeintercom.Options{})
	if f.apiBase != "" {
		api.SetBaseURL(f.apiBase) // the images the server already has
	}
	if f.title != "" {
		err := api.UpdateArticle(f.article, func(a *content.Article) {
			t := a.Translations[a.DefaultLocale]
			t.Title = f.title
			a.Translations[a.DefaultLocale] = t
		})
		if err != nil {
			return fakeintercom.Notification{}, err
		}
	}
	n, err := api.Notification(f.topic, f.article, f.version)
	if err != nil {
		return fakeintercom.Notification{}, cli.UsageError{Err: err}
	}
	return n, nil
}

// demoArticles lists the ids of up to n published articles of site.
func demoArticles(site *content.Site, n int) []string {
	var ids []string
	for _, a := range site.Articles {
		if t, ok := a.Translations[a.DefaultLocale]; ok && t.Published() && len(ids) < n {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// demoHelp prints what to try on the demo server at addr, whose demo API
// is at apiURL.
func demoHelp(w io.Writer, addr, apiURL, secret string) {
	site, err := demo.Site()
	if err != nil {
		return
	}
	ids := demoArticles(site, 1)
	if len(ids) == 0 {
		return
	}
	a := site.Article(ids[0])
	fmt.Fprintf(w, `demo: once the site is built (a few seconds), open http://%[1]s/%[2]s/articles/%[3]s/
then change the article's title the way Intercom would, with a signed webhook:
  go run ./cmd/webhook notify --demo --url http://%[1]s/webhooks/intercom --client-secret %[4]s --api-base %[5]s --article %[3]s --title "Edited through a webhook"
and reload the page.
`, addr, strings.ToLower(a.DefaultLocale), a.ID, secret, apiURL)
}

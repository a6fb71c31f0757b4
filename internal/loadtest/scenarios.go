package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// client sends API requests to the server under test.
type client struct {
	base string
	http *http.Client
}

func newClient(base string, clients int) *client {
	return &client{base: base, http: newHTTPClient(clients)}
}

// do sends one request and returns the status, decoding a 2xx body into
// out when out is not nil. Transport errors are status 0.
func (c *client) do(ctx context.Context, method, path, token string, body, out any) int {
	var reader io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return 0
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return 0
		}
	} else {
		io.Copy(io.Discard, resp.Body)
	}
	return resp.StatusCode
}

// runner holds the state the scenarios share.
type runner struct {
	cfg    Config
	db     *store.DB
	seed   *Seed
	client *client

	sessions map[string]string // username to session token
	emails   atomic.Int64
}

// login opens a session for every seeded parent.
func (r *runner) login(ctx context.Context) error {
	r.sessions = map[string]string{}
	names := append(append([]string{}, r.seed.Parents...), r.seed.SmallParent, r.seed.BigParent)
	for _, name := range names {
		var s struct {
			Token string `json:"token"`
		}
		status := r.client.do(ctx, "POST", "/v1/auth/login", r.seed.PublishableKey,
			map[string]string{"username": name, "password": parentPassword}, &s)
		if status != 200 {
			return fmt.Errorf("log in as %s: status %d", name, status)
		}
		r.sessions[name] = s.Token
	}
	return nil
}

type scenario struct {
	name string
	http func(ctx context.Context, worker int) int
	raw  func(ctx context.Context, worker int) int
}

var baselineErrors sync.Map

// status turns a baseline error into a status for the recorder, and
// prints each distinct error once so a broken baseline is explained.
func status(err error) int {
	if err == nil {
		return 200
	}
	if _, seen := baselineErrors.LoadOrStore(err.Error(), true); !seen {
		fmt.Fprintln(os.Stderr, "baseline error:", err)
	}
	return 500
}

func (r *runner) scenarios() []scenario {
	preflightTokens := r.seed.Tokens
	activate := &tokenPool{tokens: r.seed.Tokens}
	activateRaw := &tokenPool{tokens: r.seed.BaselineTokens}
	var preflightNext atomic.Int64

	return []scenario{
		{
			name: "pre-flight",
			http: func(ctx context.Context, w int) int {
				token := preflightTokens[int(preflightNext.Add(1))%len(preflightTokens)]
				return r.client.do(ctx, "GET", "/v1/network/activate/"+token, r.seed.PublishableKey, nil, nil)
			},
			raw: func(ctx context.Context, w int) int {
				token := preflightTokens[int(preflightNext.Add(1))%len(preflightTokens)]
				return status(r.rawPreflight(ctx, token))
			},
		},
		{
			name: "initiate",
			http: func(ctx context.Context, w int) int {
				body := map[string]string{"domain_id": r.seed.ChildDomainID, "email": r.nextEmail()}
				return r.client.do(ctx, "POST", "/v1/network/initiate", r.sessions[r.seed.Parents[w]], body, nil)
			},
			raw: func(ctx context.Context, w int) int {
				return status(r.rawInitiate(ctx, r.sessions[r.seed.Parents[w]], r.nextEmail()))
			},
		},
		{
			name: "invitation list",
			http: func(ctx context.Context, w int) int {
				return r.client.do(ctx, "GET", "/v1/network/invitations?page_size=25", r.sessions[r.seed.Parents[0]], nil, nil)
			},
			raw: func(ctx context.Context, w int) int {
				return status(r.rawInvitationList(ctx, r.sessions[r.seed.Parents[0]]))
			},
		},
		r.networkList(fmt.Sprintf("network list (%d children)", r.cfg.Seed.SmallChildren), r.seed.SmallParent),
		r.networkList(fmt.Sprintf("network list (%d children)", r.cfg.Seed.BigChildren), r.seed.BigParent),
		{
			name: "activate",
			http: func(ctx context.Context, w int) int {
				token, ok := activate.take()
				if !ok {
					return -1
				}
				return r.client.do(ctx, "POST", "/v1/network/activate/"+token, r.seed.PublishableKey, nil, nil)
			},
			raw: func(ctx context.Context, w int) int {
				token, ok := activateRaw.take()
				if !ok {
					return -1
				}
				return status(r.rawActivate(ctx, token))
			},
		},
	}
}

// networkList reads the first page of a parent's child networks.
func (r *runner) networkList(name, parent string) scenario {
	return scenario{
		name: name,
		http: func(ctx context.Context, w int) int {
			return r.client.do(ctx, "GET", "/v1/networks?page_size=25", r.sessions[parent], nil, nil)
		},
		raw: func(ctx context.Context, w int) int {
			return status(r.rawNetworkList(ctx, r.sessions[parent]))
		},
	}
}

func (r *runner) nextEmail() string {
	return fmt.Sprintf("invitee%d@bench.example", r.emails.Add(1))
}

// rawAuthKey does the look-ups that authenticate an app key.
func (r *runner) rawAuthKey(ctx context.Context, q *store.Q) error {
	key, err := q.FindKeyByHash(ctx, accountnet.HashToken(r.seed.PublishableKey))
	if err != nil {
		return err
	}
	_, err = q.FindApp(ctx, key.AppID)
	return err
}

func (r *runner) rawPreflight(ctx context.Context, token string) error {
	q := r.db.Reader()
	if err := r.rawAuthKey(ctx, q); err != nil {
		return err
	}
	inv, err := q.FindInvitationByToken(ctx, r.seed.App.ID, accountnet.HashToken(token))
	if err != nil {
		return err
	}
	_, err = q.FindAccount(ctx, r.seed.App.ID, inv.ParentAccountID)
	return err
}

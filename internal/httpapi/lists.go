package httpapi

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// Record list paging limits.
const (
	defaultPageSize = 25
	maxPageSize     = 100
	maxPageIndex    = 1_000_000 // keeps the row offset far inside every integer type
	maxSearchLength = 200
)

// filterSpec is one filter a record list accepts: its choices with labels
// in display order.
type filterSpec struct {
	name    string
	choices []struct{ Value, Label string }
}

// listQuery is a parsed record list request.
type listQuery struct {
	page    store.Page
	search  string
	filters map[string]string
	specs   []filterSpec
}

// recordList is the record list envelope.
type recordList struct {
	List      any                          `json:"list"`
	Total     int64                        `json:"total"`
	PageIndex int                          `json:"page_index"`
	PageSize  int                          `json:"page_size"`
	Pages     int64                        `json:"pages"`
	Search    string                       `json:"search"`
	Filters   map[string]map[string]string `json:"filters"`
}

func errParameter(name, message string) *accountnet.Error {
	return &accountnet.Error{Code: accountnet.CodeInvalid, Party: accountnet.PartyCodebase, Reason: "invalid_parameter",
		Message: "A query parameter is invalid.", Fields: map[string]string{name: message}}
}

// parseList reads page_index, page_size, search and filters[NAME] from the
// query. A malformed or out-of-range value is a 400 naming the parameter,
// never silently clamped.
func parseList(r *http.Request, specs ...filterSpec) (*listQuery, error) {
	q := r.URL.Query()
	lq := &listQuery{page: store.Page{Index: 1, Size: defaultPageSize}, filters: map[string]string{}, specs: specs}

	if v, ok := q["page_index"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > maxPageIndex || len(v) > 1 {
			return nil, errParameter("page_index", "Use a whole number from 1 to 1000000.")
		}
		lq.page.Index = n
	}
	if v, ok := q["page_size"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > maxPageSize || len(v) > 1 {
			return nil, errParameter("page_size", "Use a whole number from 1 to 100.")
		}
		lq.page.Size = n
	}
	if v, ok := q["search"]; ok {
		lq.search = strings.TrimSpace(v[0])
		if len(v) > 1 {
			return nil, errParameter("search", "Send search once.")
		}
		if len([]rune(lq.search)) > maxSearchLength {
			return nil, errParameter("search", "Use at most 200 characters.")
		}
	}

	for key, values := range q {
		name, ok := strings.CutPrefix(key, "filters[")
		if !ok {
			continue
		}
		name, ok = strings.CutSuffix(name, "]")
		spec := findSpec(specs, name)
		if !ok || spec == nil {
			return nil, errParameter(key, "This list has no such filter.")
		}
		if len(values) > 1 || !hasChoice(spec, values[0]) {
			return nil, errParameter(key, "Choose one of the listed values.")
		}
		lq.filters[name] = values[0]
	}
	return lq, nil
}

func findSpec(specs []filterSpec, name string) *filterSpec {
	for i := range specs {
		if specs[i].name == name {
			return &specs[i]
		}
	}
	return nil
}

func hasChoice(spec *filterSpec, value string) bool {
	for _, c := range spec.choices {
		if c.Value == value {
			return true
		}
	}
	return false
}

// envelope wraps one page of items with the paging fields.
func (lq *listQuery) envelope(items any, total int64) recordList {
	size := int64(lq.page.Size)
	filters := map[string]map[string]string{}
	for _, spec := range lq.specs {
		labels := map[string]string{}
		for _, c := range spec.choices {
			labels[c.Value] = c.Label
		}
		filters[spec.name] = labels
	}
	return recordList{List: items, Total: total, PageIndex: lq.page.Index, PageSize: lq.page.Size,
		Pages: (total + size - 1) / size, Search: lq.search, Filters: filters}
}

// writeWholeList serves a list that is loaded whole, because it is short
// (an app's keys, domains and rules), as one page of a record list.
func writeWholeList[T, V any](s *Server, w http.ResponseWriter, r *http.Request, load func() ([]*T, error), view func(*T) V) {
	lq, err := parseList(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	all, err := load()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lq.envelope(mapAll(pageOf(all, lq.page), view), int64(len(all))))
}

// pageOf slices an in-memory list, for lists short enough to load whole.
func pageOf[T any](all []T, page store.Page) []T {
	start := min(page.Offset(), len(all))
	end := min(start+page.Size, len(all))
	return all[start:end]
}

var keyName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// enumerated renders items as a bare array of objects. Each item gives its
// id, title and extra properties; ?id=NAME&title=NAME rename the first two
// keys so a front end can use the result as it is.
func enumerated(r *http.Request, items []enumItem) (any, error) {
	idKey, titleKey := "id", "title"
	q := r.URL.Query()
	if v := q.Get("id"); v != "" {
		idKey = v
	}
	if v := q.Get("title"); v != "" {
		titleKey = v
	}
	for name, value := range map[string]string{"id": idKey, "title": titleKey} {
		if !keyName.MatchString(value) {
			return nil, errParameter(name, "Use a key name of letters, digits and underscores.")
		}
	}
	if idKey == titleKey {
		return nil, errParameter("title", "Use a key name different from the id key.")
	}

	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		m := map[string]any{}
		for k, v := range it.extra {
			m[k] = v
		}
		m[idKey] = it.id
		m[titleKey] = it.title
		out = append(out, m)
	}
	return out, nil
}

type enumItem struct {
	id, title string
	extra     map[string]any
}

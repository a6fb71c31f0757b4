package httpapi

import (
	"net/http"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/country"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/timezone"
)

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in := service.AccountUpdate{
		Title: b.String("title"), Address: b.String("address"), City: b.String("city"), State: b.String("state"),
		Zip: b.String("zip"), Phone: b.String("phone"), URL: b.String("url"), ContactName: b.String("contact_name"),
		ContactEmail: b.String("contact_email"), CountryID: b.String("country_id"), TimezoneID: b.String("timezone_id"),
	}
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	account, err := s.Svc.UpdateAccount(r.Context(), c, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newAccountView(account))
}

// accountCountry returns the current account's country as {id, title}.
func (s *Server) accountCountry(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	ct, ok := country.Lookup(c.Account.CountryID)
	if !ok {
		s.writeError(w, r, accountnet.NotFound("country"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": ct.ID, "title": ct.Title})
}

func (s *Server) timezones(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	all := timezone.All()
	items := make([]enumItem, 0, len(all))
	for _, z := range all {
		countries := z.Countries
		if countries == nil {
			countries = []string{}
		}
		items = append(items, enumItem{id: z.ID, title: z.Title(), extra: map[string]any{"countries": countries}})
	}
	s.writeEnumerated(w, r, items)
}

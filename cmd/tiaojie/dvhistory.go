package main

import (
	"context"

	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/warning"
)

// dvHistories lets the filing path ask the warning area's flags about a
// batch of filings (mediation.DVHistory over warning.Service.DVHistories).
type dvHistories struct{ warn *warning.Service }

func (d dvHistories) DVHistories(ctx context.Context, subjects []mediation.DVSubject) ([]bool, error) {
	qs := make([]warning.DVQuery, len(subjects))
	for i, s := range subjects {
		qs[i] = warning.DVQuery{FilerID: s.FilerID, Phones: s.Phones, Place: s.Place}
	}
	return d.warn.DVHistories(ctx, qs)
}

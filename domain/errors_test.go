package domain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
)

func TestErrorKind(t *testing.T) {
	notFound := domain.Errorf(domain.KindNotFound, "case.not_found", "case %d not found", 7)
	tests := []struct {
		name string
		err  error
		want domain.Kind
	}{
		{"an application error keeps its kind", notFound, domain.KindNotFound},
		{"a wrapped application error keeps its kind", fmt.Errorf("mysql: find case 7: %w", notFound), domain.KindNotFound},
		{"a plain error is internal", errors.New("boom"), domain.KindInternal},
		{"validation problems are invalid", domain.Invalid(domain.FieldError{Field: "phone", Code: domain.FieldRequired}), domain.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.ErrorKind(tt.err); got != tt.want {
				t.Fatalf("ErrorKind(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestProblemsCollectsEveryField(t *testing.T) {
	var p domain.Problems
	if p.Err() != nil {
		t.Fatal("no problems must give a nil error")
	}
	p.Require("phone", "")
	p.Require("name", "张三")
	p.Add("code", domain.FieldInvalid, "must be 6 digits")
	e, ok := domain.AsError(p.Err())
	if !ok || e.Kind != domain.KindInvalid || len(e.Fields) != 2 {
		t.Fatalf("got %+v, want an invalid error with two fields", e)
	}
	if e.Fields[0].Field != "phone" || e.Fields[1].Field != "code" {
		t.Fatalf("fields in wrong order: %+v", e.Fields)
	}
}

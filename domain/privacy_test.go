package domain_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
)

func TestMasking(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"a mobile number keeps 3 + 4 digits", domain.MaskPhone("13800000000"), "138****0000"},
		{"a short number is fully masked", domain.MaskPhone("110"), "***"},
		{"an ID number keeps region and last four", domain.MaskIDNumber("330102199001011234"), "3301**********1234"},
		{"an ID number with X keeps it", domain.MaskIDNumber("33010219900101123X"), "3301**********123X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestRedactPersonalData(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a phone inside text", "sms to 13912345678 failed", "sms to 139****5678 failed"},
		{"a phone in a path", "/api/v1/users/13912345678/x", "/api/v1/users/139****5678/x"},
		{"an ID number", "id=330102199001011234;", "id=3301**********1234;"},
		{"a JWT", "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.sig-nature_x", "Bearer [token]"},
		{"a longer digit run is not a phone", "order 1391234567890123", "order 1391234567890123"},
		{"plain text is untouched", "case 42 closed", "case 42 closed"},
		{"two adjacent phones are both masked", "13800138000,13900139000", "138****8000,139****9000"},
		{"two adjacent ID numbers are both masked", "330102199001011234 33010219900101123X", "3301**********1234 3301**********123X"},
		{"a phone right after an ID number", "330102199001011234/13912345678", "3301**********1234/139****5678"},
		{"an ID number followed by letters is left", "330102199001011234abc", "330102199001011234abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.RedactPersonalData(tt.in); got != tt.want {
				t.Fatalf("RedactPersonalData(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

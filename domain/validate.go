package domain

// Problems collects field errors while a value is validated, so that a client
// learns about every bad field at once rather than one per round trip.
type Problems struct {
	fields []FieldError
}

// Add records a problem with one field.
func (p *Problems) Add(field, code, message string) {
	p.fields = append(p.fields, FieldError{Field: field, Code: code, Message: message})
}

// Require records a FieldRequired problem when value is empty.
func (p *Problems) Require(field, value string) bool {
	if value == "" {
		p.Add(field, FieldRequired, "is required")
		return false
	}
	return true
}

// Err returns the collected problems as one KindInvalid error, or nil.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return Invalid(p.fields...)
}

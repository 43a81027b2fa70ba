package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
)

// codeSite is one place an error code is made.
type codeSite struct {
	code string
	at   string
}

// errorCodesInSources finds every error code the code base can answer with,
// by reading the Go sources under root: the code argument of domain.Errorf,
// domain.Wrap and domain.Error{Code: …}, and the Code of api's httpError.
// A code built from a parameter ("what+".changed"") is resolved through the
// calls of the function that takes the parameter, one level deep, so helpers
// like changedMeanwhile("visit_slot") are found too. Anything the scanner
// cannot resolve to text is reported as unresolved, so that a new way of
// making codes fails loudly instead of slipping past.
func errorCodesInSources(t *testing.T, root string) (codes []codeSite, unresolved []string) {
	t.Helper()
	fset := token.NewFileSet()
	type pending struct {
		pkg    string // its package
		fn     string // the enclosing function whose parameter builds the code
		param  int
		prefix string
		suffix string
		at     string
	}
	var files []*ast.File
	var waiting []pending
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "web", "node_modules", ".git", "apiclient", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p token.Pos) string {
		pos := fset.Position(p)
		r, _ := filepath.Rel(root, pos.Filename)
		return r + ":" + strconv.Itoa(pos.Line)
	}
	// resolve turns a code expression into text, or says which parameter of
	// the enclosing function it depends on.
	var resolve func(e ast.Expr, fn *ast.FuncDecl) (text string, param int, prefix, suffix string, ok bool)
	paramIndex := func(fn *ast.FuncDecl, name string) int {
		if fn == nil {
			return -1
		}
		i := 0
		for _, f := range fn.Type.Params.List {
			for _, n := range f.Names {
				if n.Name == name {
					return i
				}
				i++
			}
		}
		return -1
	}
	resolve = func(e ast.Expr, fn *ast.FuncDecl) (string, int, string, string, bool) {
		switch x := e.(type) {
		case *ast.BasicLit:
			if s, err := strconv.Unquote(x.Value); err == nil {
				return s, -1, "", "", true
			}
		case *ast.Ident:
			if i := paramIndex(fn, x.Name); i >= 0 {
				return "", i, "", "", true
			}
		case *ast.BinaryExpr:
			if x.Op != token.ADD {
				break
			}
			l, li, lp, ls, lok := resolve(x.X, fn)
			r, ri, rp, rs, rok := resolve(x.Y, fn)
			switch {
			case lok && rok && li < 0 && ri < 0:
				return l + r, -1, "", "", true
			case lok && rok && li >= 0 && ri < 0:
				return "", li, lp, ls + r, true
			case lok && rok && li < 0 && ri >= 0:
				return "", ri, l + rp, rs, true
			}
		}
		return "", -1, "", "", false
	}
	add := func(f *ast.File, kind, e ast.Expr, fn *ast.FuncDecl) {
		if f.Name.Name == "domain" && fn != nil && constructors[fn.Name.Name] {
			return // the constructors themselves; their callers are scanned
		}
		if isSelector(kind, "domain", "KindInternal") || f.Name.Name == "domain" && isIdent(kind, "KindInternal") {
			return // answered as "internal" whatever its code, so never shown
		}
		text, param, prefix, suffix, ok := resolve(e, fn)
		switch {
		case !ok:
			unresolved = append(unresolved, rel(e.Pos()))
		case param >= 0:
			waiting = append(waiting, pending{pkg: f.Name.Name, fn: fn.Name.Name, param: param, prefix: prefix, suffix: suffix, at: rel(e.Pos())})
		default:
			codes = append(codes, codeSite{code: text, at: rel(e.Pos())})
		}
	}
	isDomain := func(f *ast.File, x ast.Expr, name string) bool {
		if f.Name.Name == "domain" {
			return isIdent(x, name)
		}
		return isSelector(x, "domain", name)
	}
	for _, f := range files {
		var fn *ast.FuncDecl
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				fn = x
			case *ast.CallExpr:
				switch {
				case isDomain(f, x.Fun, "Errorf") && len(x.Args) >= 2:
					add(f, x.Args[0], x.Args[1], fn)
				case isDomain(f, x.Fun, "Wrap") && len(x.Args) >= 3:
					add(f, x.Args[1], x.Args[2], fn)
				}
			case *ast.CompositeLit:
				if isDomain(f, x.Type, "Error") || (f.Name.Name == "api" && isIdent(x.Type, "httpError")) {
					var kind, code ast.Expr
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Code") {
							code = kv.Value
						} else if ok && isIdent(kv.Key, "Kind") {
							kind = kv.Value
						}
					}
					if code != nil {
						add(f, kind, code, fn)
					}
				}
			}
			return true
		})
	}
	// One level through helpers: every call of the helper with text in the
	// parameter's place names a code.
	for _, p := range waiting {
		found := false
		for _, f := range files {
			var fn *ast.FuncDecl
			ast.Inspect(f, func(n ast.Node) bool {
				if d, ok := n.(*ast.FuncDecl); ok {
					fn = d
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				samePkg := f.Name.Name == p.pkg && isIdent(call.Fun, p.fn)
				if !samePkg && !isSelector(call.Fun, p.pkg, p.fn) || len(call.Args) <= p.param {
					return true
				}
				found = true
				text, param, _, _, ok := resolve(call.Args[p.param], fn)
				if !ok || param >= 0 {
					unresolved = append(unresolved, rel(call.Args[p.param].Pos())+" (through "+p.fn+")")
					return true
				}
				codes = append(codes, codeSite{code: p.prefix + text + p.suffix, at: rel(call.Pos())})
				return true
			})
		}
		if !found {
			unresolved = append(unresolved, p.at+" (no call of "+p.fn+" found)")
		}
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i].code < codes[j].code })
	return codes, unresolved
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// isSelector reports whether e is pkg.name.
func isSelector(e ast.Expr, pkg, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && s.Sel.Name == name && isIdent(s.X, pkg)
}

// constructors are package domain's own error builders, whose code is a
// parameter filled in by every caller.
var constructors = map[string]bool{"Errorf": true, "Wrap": true, "Invalid": true}

// Every error code anywhere in the code base has its own words in both
// languages: a Chinese message that says what happened and what to do, not
// the generic text of its kind ("当前状态不允许此操作"). When this fails after
// you added a code, add a line for it to messages in api/messages.go.
func TestEveryErrorCodeHasItsOwnMessage(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the repository root %s has no go.mod: %v", root, err)
	}
	codes, unresolved := errorCodesInSources(t, root)
	for _, c := range codeOfStatus {
		codes = append(codes, codeSite{code: c, at: "api/errors.go codeOfStatus"})
	}
	if len(codes) < 100 {
		t.Fatalf("found only %d error codes in the sources; the scanner is broken", len(codes))
	}
	for _, u := range unresolved {
		t.Errorf("%s: an error code the scanner cannot read; write it as a string literal (or a helper called with one)", u)
	}
	generic := map[string]bool{}
	for _, k := range kindTexts {
		generic[k.zh] = true
	}
	seen := map[string]bool{}
	var missing []string
	for _, c := range codes {
		if seen[c.code] {
			continue
		}
		seen[c.code] = true
		m, ok := messages[c.code]
		switch {
		case !ok:
			missing = append(missing, c.code+" ("+c.at+")")
		case strings.TrimSpace(m.zh) == "" || strings.TrimSpace(m.en) == "":
			t.Errorf("%s (%s): messages has it with an empty text in one language: %+v", c.code, c.at, m)
		case generic[m.zh]:
			t.Errorf("%s (%s): its Chinese message %q is the generic text of a kind; say what happened and what to do", c.code, c.at, m.zh)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d error codes have no message of their own; add each to messages in api/messages.go as\n\t\"code\": {\"中文：发生了什么，该怎么做\", \"English: what happened, what to do.\"},\n%s",
			len(missing), strings.Join(missing, "\n"))
	}
}

func TestADomainErrorKeepsItsDetailsInEnglishAndGetsItsOwnChinese(t *testing.T) {
	en := message("case.illegal_transition", domain.KindFailedPrecondition, "A case that is filed cannot be started.", english)
	if en != "A case that is filed cannot be started." {
		t.Errorf("English lost the domain's details: %q", en)
	}
	zh := message("request.already_rated", domain.KindConflict, "This case has already been rated.", chinese)
	if zh == kindTexts[domain.KindConflict].zh || !strings.Contains(zh, "评价") {
		t.Errorf("request.already_rated in Chinese says %q, not that the case was rated already", zh)
	}
}

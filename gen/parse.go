package main

// A small parser for the C declarations that mlx-c's public headers use:
// typedef'd structs and enums, function prototypes (with function-pointer
// parameters) and preprocessor conditionals. Anything else fails loudly.

import (
	"fmt"
	"strings"
	"unicode"
)

// CType is a parameter or return type: a base name with qualifiers.
type CType struct {
	Const bool   // leading const
	Base  string // mlx_array, int, size_t, char, ...
	Ptr   int    // number of '*'
	Func  string // for a function-pointer parameter: its full C text
}

func (t CType) String() string {
	if t.Func != "" {
		return t.Func
	}
	s := t.Base + strings.Repeat("*", t.Ptr)
	if t.Const {
		s = "const " + s
	}
	return s
}

// Key is the type as the generator's tables name it, e.g. "const int*".
func (t CType) Key() string { return t.String() }

// Param is one function parameter.
type Param struct {
	Type     CType
	Name     string
	Nullable bool // annotated /* may be null */
}

// Func is one function prototype.
type Func struct {
	Name   string
	Ret    CType
	Params []Param
	Cond   string // enclosing preprocessor condition, "" if none
	Doc    string // the doc comment right before it, if any
	Line   int
}

// Enum is a typedef'd enum.
type Enum struct {
	Name   string
	Values []string
	Doc    string
}

// Header is what one header declares.
type Header struct {
	Name    string // file name without .h
	Funcs   []Func
	Enums   []Enum
	Structs []string // typedef'd struct names
	Aliases []string // other typedef names (function pointers, scalars)
	Vars    []string // static variables
}

type token struct {
	text string
	line int
	kind byte // 'i' ident/number, 'p' punctuation, 'c' comment, '#' directive
}

func tokenize(src string) ([]token, error) {
	var toks []token
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			j := i
			for j < len(src) && src[j] != '\n' {
				if src[j] == '\\' && j+1 < len(src) && src[j+1] == '\n' {
					j += 2
					line++
					continue
				}
				j++
			}
			toks = append(toks, token{src[i:j], line, '#'})
			i = j
		case strings.HasPrefix(src[i:], "/*"):
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return nil, fmt.Errorf("line %d: unterminated comment", line)
			}
			text := src[i : i+2+j+2]
			toks = append(toks, token{text, line, 'c'})
			line += strings.Count(text, "\n")
			i += 2 + j + 2
		case strings.HasPrefix(src[i:], "//"):
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				j = len(src) - i
			}
			toks = append(toks, token{src[i : i+j], line, 'c'})
			i += j
		case c == '_' || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j]))) {
				j++
			}
			toks = append(toks, token{src[i:j], line, 'i'})
			i = j
		case c == '.' && strings.HasPrefix(src[i:], "..."):
			toks = append(toks, token{"...", line, 'i'})
			i += 3
		case strings.ContainsRune("(){}[];,*=", rune(c)):
			toks = append(toks, token{string(c), line, 'p'})
			i++
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				j++
			}
			toks = append(toks, token{src[i : j+1], line, 'i'})
			i = j + 1
		default:
			return nil, fmt.Errorf("line %d: unexpected character %q", line, c)
		}
	}
	return toks, nil
}

// ParseHeader parses the text of one header.
func ParseHeader(name, src string) (*Header, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, fmt.Errorf("%s.h: %v", name, err)
	}
	h := &Header{Name: name}
	var conds []string // preprocessor condition stack; "!skip" hides C++-only text
	var stmt []token
	var doc string
	depth := 0
	skipping := func() bool {
		for _, c := range conds {
			if c == "__cplusplus" {
				return true
			}
		}
		return false
	}
	cond := func() string {
		var parts []string
		for _, c := range conds {
			if c != "" {
				parts = append(parts, c)
			}
		}
		return strings.Join(parts, " && ")
	}
	for _, t := range toks {
		if t.kind == '#' {
			fields := strings.Fields(strings.TrimPrefix(t.text, "#"))
			if len(fields) == 0 {
				continue
			}
			switch fields[0] {
			case "ifndef":
				// include guards: "#ifndef MLX_X_H" is followed by its #define
				if strings.HasSuffix(fields[1], "_H") {
					conds = append(conds, "")
				} else {
					conds = append(conds, "!"+fields[1])
				}
			case "ifdef":
				conds = append(conds, fields[1])
			case "if":
				conds = append(conds, strings.Join(fields[1:], " "))
			case "else":
				if len(conds) == 0 {
					return nil, fmt.Errorf("%s.h:%d: #else without #if", name, t.line)
				}
				c := conds[len(conds)-1]
				if c == "__cplusplus" {
					conds[len(conds)-1] = "!__cplusplus"
				} else if c != "" {
					conds[len(conds)-1] = "!(" + c + ")"
				}
			case "endif":
				if len(conds) == 0 {
					return nil, fmt.Errorf("%s.h:%d: #endif without #if", name, t.line)
				}
				conds = conds[:len(conds)-1]
			case "include", "define", "undef", "pragma":
			default:
				return nil, fmt.Errorf("%s.h:%d: unknown directive %q", name, t.line, t.text)
			}
			continue
		}
		if skipping() {
			continue
		}
		if t.kind == 'c' {
			if depth == 0 && len(stmt) == 0 && strings.HasPrefix(t.text, "/**") {
				doc = cleanDoc(t.text)
			} else if len(stmt) > 0 {
				stmt = append(stmt, t) // parameter annotations
			}
			continue
		}
		if t.text == "extern" && len(stmt) == 0 {
			continue // extern "C" {
		}
		if len(stmt) == 0 && strings.HasPrefix(t.text, `"`) {
			continue
		}
		if len(stmt) == 0 && (t.text == "{" || t.text == "}") && depth == 0 {
			continue // the braces of extern "C"
		}
		stmt = append(stmt, t)
		switch t.text {
		case "{":
			depth++
		case "}":
			depth--
		case ";":
			if depth == 0 {
				if err := h.addStatement(stmt, cond(), doc); err != nil {
					return nil, fmt.Errorf("%s.h:%d: %v", name, stmt[0].line, err)
				}
				stmt, doc = nil, ""
			}
		}
	}
	if len(stmt) > 0 {
		return nil, fmt.Errorf("%s.h:%d: unterminated declaration", name, stmt[0].line)
	}
	return h, nil
}

func cleanDoc(c string) string {
	c = strings.TrimSuffix(strings.TrimPrefix(c, "/**"), "*/")
	var out []string
	for _, l := range strings.Split(c, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "*"))
		if l == "" || strings.HasPrefix(l, "\\") || strings.HasPrefix(l, "@") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, " ")
}

func texts(ts []token) []string {
	var out []string
	for _, t := range ts {
		if t.kind != 'c' {
			out = append(out, t.text)
		}
	}
	return out
}

func (h *Header) addStatement(stmt []token, cond, doc string) error {
	words := texts(stmt)
	line := stmt[0].line
	switch {
	case words[0] == "typedef" && (words[1] == "struct" || words[1] == "enum"):
		name := words[len(words)-2]
		if words[1] == "struct" {
			h.Structs = append(h.Structs, name)
			return nil
		}
		lbrace, rbrace := indexOf(words, "{"), indexOf(words, "}")
		if lbrace < 0 || rbrace < lbrace {
			return fmt.Errorf("enum %s without a body", name)
		}
		var vals []string
		for _, w := range words[lbrace+1 : rbrace] {
			if w != "," && w != "=" && !isNumber(w) {
				vals = append(vals, w)
			}
		}
		h.Enums = append(h.Enums, Enum{Name: name, Values: vals, Doc: doc})
		return nil
	case words[0] == "typedef":
		if i := indexOf(words, "*"); i > 0 && words[i-1] == "(" {
			h.Aliases = append(h.Aliases, words[i+1])
		} else {
			h.Aliases = append(h.Aliases, words[len(words)-2])
		}
		return nil
	case words[0] == "static" && indexOf(words, "(") < 0:
		h.Vars = append(h.Vars, words[len(words)-2])
		return nil
	}
	open := indexOfTok(stmt, "(")
	if open < 1 || stmt[len(stmt)-2].text != ")" {
		return fmt.Errorf("unknown construct %q", strings.Join(words, " "))
	}
	f := Func{Name: stmt[open-1].text, Cond: cond, Doc: doc, Line: line}
	ret, err := parseType(texts(stmt[:open-1]))
	if err != nil {
		return fmt.Errorf("%s: return type: %v", f.Name, err)
	}
	f.Ret = ret
	params, err := parseParams(stmt[open+1 : len(stmt)-2])
	if err != nil {
		return fmt.Errorf("%s: %v", f.Name, err)
	}
	f.Params = params
	h.Funcs = append(h.Funcs, f)
	return nil
}

func parseParams(ts []token) ([]Param, error) {
	var groups [][]token
	var cur []token
	depth := 0
	for _, t := range ts {
		switch t.text {
		case "(":
			depth++
		case ")":
			depth--
		}
		if t.text == "," && depth == 0 {
			groups = append(groups, cur)
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	var params []Param
	for _, g := range groups {
		words := texts(g)
		if len(words) == 1 && words[0] == "void" && len(groups) == 1 {
			return nil, nil
		}
		p := Param{}
		for _, t := range g {
			if t.kind == 'c' && strings.Contains(t.text, "may be null") {
				p.Nullable = true
			}
		}
		if len(words) == 1 && words[0] == "..." {
			p.Name, p.Type = "...", CType{Base: "..."}
			params = append(params, p)
			continue
		}
		if i := indexOf(words, "("); i >= 0 && i+2 < len(words) && words[i+1] == "*" {
			p.Name = words[i+2]
			p.Type = CType{Func: joinC(words)}
			params = append(params, p)
			continue
		}
		if len(words) < 2 {
			return nil, fmt.Errorf("parameter %q has no name", strings.Join(words, " "))
		}
		p.Name = words[len(words)-1]
		t, err := parseType(words[:len(words)-1])
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %v", p.Name, err)
		}
		p.Type = t
		params = append(params, p)
	}
	return params, nil
}

func parseType(words []string) (CType, error) {
	var t CType
	for _, w := range words {
		switch {
		case w == "const" && t.Base == "":
			t.Const = true
		case w == "const":
			// "T* const": a const pointer changes nothing for callers
		case w == "*":
			t.Ptr++
		case t.Base == "" && isIdent(w):
			t.Base = w
		case t.Base != "" && isIdent(w) && (t.Base == "unsigned" || t.Base == "signed" || t.Base == "long"):
			t.Base += " " + w
		default:
			return t, fmt.Errorf("unknown type %q", strings.Join(words, " "))
		}
	}
	if t.Base == "" {
		return t, fmt.Errorf("empty type")
	}
	return t, nil
}

// joinC joins C tokens with spaces only between words: "void (*dtor)(void*)".
func joinC(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 && isIdent(w) && isIdent(words[i-1]) || i > 0 && w == "(" && isIdent(words[i-1]) && words[i-1] != "" && i == 1 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

func indexOf(ws []string, s string) int {
	for i, w := range ws {
		if w == s {
			return i
		}
	}
	return -1
}

func indexOfTok(ts []token, s string) int {
	for i, t := range ts {
		if t.text == s {
			return i
		}
	}
	return -1
}

func isIdent(w string) bool {
	if w == "" || !(w[0] == '_' || unicode.IsLetter(rune(w[0]))) {
		return false
	}
	return true
}

func isNumber(w string) bool { return w != "" && unicode.IsDigit(rune(w[0])) }

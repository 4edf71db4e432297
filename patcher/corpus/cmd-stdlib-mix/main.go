// cmd-stdlib-mix: what an ordinary Go program leans on: strings.Builder,
// big maps, sort/slices, generics, reflect, regexp, strconv, text/template,
// compress/gzip, encoding/base64, errors wrapping, and fmt of structs.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
)

type Point struct {
	X, Y int    `json:"x"`
	Tag  string `custom:"label" json:"tag,omitempty"`
}

func (p Point) String() string { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }

type Number interface{ ~int | ~int64 | ~float64 }

func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

var ErrBase = errors.New("base failure")

func main() {
	// strings.Builder: 1 MiB
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		sb.WriteString(strconv.Itoa(i))
		sb.WriteByte(',')
	}
	s := sb.String()
	fmt.Printf("builder: len=%d commas=%d sha256=%x\n", len(s), strings.Count(s, ","), sha256.Sum256([]byte(s)))

	// maps with 200k entries
	m := make(map[string]int)
	for i := 0; i < 200_000; i++ {
		m["k"+strconv.Itoa(i)] = i
	}
	for i := 0; i < 200_000; i += 2 {
		delete(m, "k"+strconv.Itoa(i))
	}
	keys := slices.Sorted(maps.Keys(m))
	fmt.Println("map: len", len(m), "first", keys[0], "last", keys[len(keys)-1], "m[k199999]", m["k199999"])

	// generics and slices
	ints := []int{5, 3, 9, 1, 7}
	slices.Sort(ints)
	fmt.Println("generics:", Sum(ints), Sum([]float64{0.5, 0.25}), ints, slices.Index(ints, 7))

	// reflect
	p := Point{X: 1, Y: 2, Tag: "home"}
	t := reflect.TypeOf(p)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		fmt.Printf("reflect field %s %s json=%q custom=%q\n", f.Name, f.Type, f.Tag.Get("json"), f.Tag.Get("custom"))
	}
	v := reflect.ValueOf(&p).Elem()
	v.FieldByName("X").SetInt(42)
	fmt.Printf("after reflect set: %v %+v\n", p, struct{ P Point }{p})
	fmt.Println("method via reflect:", v.MethodByName("String").Call(nil)[0])

	// regexp
	re := regexp.MustCompile(`(\w+)@(\w+)\.org`)
	fmt.Println("regexp:", re.FindAllStringSubmatch("a@b.org, c@d.org x@y.com", -1))
	fmt.Println("regexp replace:", re.ReplaceAllString("mail bob@example.org now", "$2:$1"))

	// strconv
	f, _ := strconv.ParseFloat("3.14159e2", 64)
	n, err := strconv.Atoi("12a")
	fmt.Println("strconv:", f, strconv.Quote("tab\there"), strconv.FormatInt(-255, 16), n, err)

	// text/template
	tpl := template.Must(template.New("t").Parse("{{range .}}<{{.X}}:{{.Tag | printf \"%q\"}}>{{end}}\n"))
	tpl.Execute(os.Stdout, []Point{{1, 2, "a"}, {3, 4, ""}})

	// gzip + base64 round trip
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	zw.Write([]byte(s))
	zw.Close()
	enc := base64.StdEncoding.EncodeToString(zbuf.Bytes())
	raw, _ := base64.StdEncoding.DecodeString(enc)
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		panic(err)
	}
	plain, _ := io.ReadAll(zr)
	fmt.Println("gzip+base64 round trip ok:", string(plain) == s, "compressed smaller:", zbuf.Len() < len(s)/2)

	// errors
	e := fmt.Errorf("layer 2: %w", fmt.Errorf("layer 1: %w", ErrBase))
	fmt.Println("errors:", e, errors.Is(e, ErrBase), errors.Unwrap(errors.Unwrap(e)) == ErrBase)
	joined := errors.Join(ErrBase, os.ErrNotExist)
	fmt.Println("errors.Join is both:", errors.Is(joined, ErrBase) && errors.Is(joined, os.ErrNotExist))
}

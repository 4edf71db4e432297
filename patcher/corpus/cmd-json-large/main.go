// cmd-json-large: encoding/json round trip of several MiB (30,000 records
// with nested slices, maps and pointers): Marshal, Unmarshal, DeepEqual,
// MarshalIndent, streaming Decoder. Reflection-heavy and allocation-heavy.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

type Address struct {
	Street string `json:"street"`
	City   string `json:"city"`
	Zip    string `json:"zip,omitempty"`
}

type Record struct {
	ID      int               `json:"id"`
	Name    string            `json:"name"`
	Email   string            `json:"email"`
	Score   float64           `json:"score"`
	Active  bool              `json:"active"`
	Tags    []string          `json:"tags"`
	Attrs   map[string]int    `json:"attrs"`
	Home    *Address          `json:"home,omitempty"`
	History []int64           `json:"history"`
	Notes   map[string]string `json:"notes,omitempty"`
}

func makeRecord(i int) Record {
	r := Record{
		ID:     i,
		Name:   fmt.Sprintf("user-%05d", i),
		Email:  fmt.Sprintf("user%d@example.org", i),
		Score:  float64(i%1000) / 8,
		Active: i%3 == 0,
		Tags:   []string{"t" + fmt.Sprint(i%7), "group-" + fmt.Sprint(i%13), strings.Repeat("z", i%5)},
		Attrs:  map[string]int{"a": i, "b": i * 2, "c": i % 97},
	}
	if i%2 == 0 {
		r.Home = &Address{Street: fmt.Sprintf("%d Main St", i), City: "Springfield"}
	}
	for j := 0; j < i%11; j++ {
		r.History = append(r.History, int64(i)*int64(j)*7919)
	}
	if i%10 == 0 {
		r.Notes = map[string]string{"quote": `he said "hi" <b>&</b>`, "uni": "ünïcode ✓ \u2028"}
	}
	return r
}

func main() {
	recs := make([]Record, 30000)
	for i := range recs {
		recs[i] = makeRecord(i)
	}
	data, err := json.Marshal(recs)
	if err != nil {
		panic(err)
	}
	fmt.Println("marshaled bytes>2MiB:", len(data) > 2<<20)
	fmt.Println("marshaled bytes:", len(data))
	fmt.Printf("sha256(marshal)=%x\n", sha256.Sum256(data))

	var back []Record
	if err := json.Unmarshal(data, &back); err != nil {
		panic(err)
	}
	fmt.Println("unmarshaled records:", len(back))
	fmt.Println("DeepEqual after round trip:", reflect.DeepEqual(recs, back))

	ind, err := json.MarshalIndent(back[:2000], "", "  ")
	if err != nil {
		panic(err)
	}
	fmt.Println("indented bytes (2000 records):", len(ind))

	// generic decode into interface{} and streaming decode
	var generic []any
	if err := json.Unmarshal(data, &generic); err != nil {
		panic(err)
	}
	m := generic[12345].(map[string]any)
	fmt.Println("generic record 12345 name:", m["name"], "score:", m["score"])

	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // '['
		panic(err)
	}
	count, active := 0, 0
	for dec.More() {
		var r Record
		if err := dec.Decode(&r); err != nil {
			panic(err)
		}
		count++
		if r.Active {
			active++
		}
	}
	fmt.Println("streamed records:", count, "active:", active)
}

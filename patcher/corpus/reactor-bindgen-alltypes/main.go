// The Go side of the all-types round trip: every export echoes its argument, directly (api) or
// through the host's imports (via-host-*), while churning the heap so that GC cycles run inside
// cabi_realloc and between calls. Written only against the generated bindings: no unsafe.
package main

import "runtime"

//go:generate python -m patcher bindgen --wit world.wit --world alltypes -o .

var (
	garbage [][]byte
	calls   int
)

// echo returns v after allocating: 16 KiB per call, up to 4 MiB kept alive for a while.
func echo[T any](v T) T {
	calls++
	b := make([]byte, 16<<10)
	b[calls%len(b)] = byte(calls)
	garbage = append(garbage, b)
	if len(garbage) == 256 {
		garbage = nil
	}
	return v
}

func ApiEchoBool(v bool) bool                                               { return echo(v) }
func ApiEchoU8(v uint8) uint8                                               { return echo(v) }
func ApiEchoS8(v int8) int8                                                 { return echo(v) }
func ApiEchoU16(v uint16) uint16                                            { return echo(v) }
func ApiEchoS16(v int16) int16                                              { return echo(v) }
func ApiEchoU32(v uint32) uint32                                            { return echo(v) }
func ApiEchoS32(v int32) int32                                              { return echo(v) }
func ApiEchoU64(v uint64) uint64                                            { return echo(v) }
func ApiEchoS64(v int64) int64                                              { return echo(v) }
func ApiEchoF32(v float32) float32                                          { return echo(v) }
func ApiEchoF64(v float64) float64                                          { return echo(v) }
func ApiEchoChar(v rune) rune                                               { return echo(v) }
func ApiEchoString(v string) string                                         { return echo(v) }
func ApiEchoBytes(v Bytes) Bytes                                            { return echo(v) }
func ApiEchoU32s(v []uint32) []uint32                                       { return echo(v) }
func ApiEchoStrings(v []string) []string                                    { return echo(v) }
func ApiEchoPoints(v Points) Points                                         { return echo(v) }
func ApiEchoTuple(v tup) tup                                                { return echo(v) }
func ApiEchoPoint(v Point) Point                                            { return echo(v) }
func ApiEchoBag(v Bag) Bag                                                  { return echo(v) }
func ApiEchoColor(v Color) Color                                            { return echo(v) }
func ApiEchoPerms(v Perms) Perms                                            { return echo(v) }
func ApiEchoShape(v Shape) Shape                                            { return echo(v) }
func ApiEchoShapes(v []Shape) []Shape                                       { return echo(v) }
func ApiEchoOption(v Option[string]) Option[string]                         { return echo(v) }
func ApiEchoOptionPoint(v Option[Point]) Option[Point]                      { return echo(v) }
func ApiEchoResult(v Result[string, uint32]) Result[string, uint32]         { return echo(v) }
func ApiEchoResultUnit(v Result[struct{}, string]) Result[struct{}, string] { return echo(v) }
func ApiEchoResultTagged(v Result[uint32, uint64]) Result[uint32, uint64]   { return echo(v) }
func ApiNoResult(v string)                                                  { echo(v) }

type tup = Tuple4[uint8, string, float64, Option[int16]]
type many = Tuple17[uint8, int16, uint32, int64, float32, float64, string, bool, rune, uint64, string, int8, uint16, float32, float64, int32, string]

func ApiManyArgs(a1 uint8, a2 int16, a3 uint32, a4 int64, a5 float32, a6 float64, a7 string, a8 bool, a9 rune,
	a10 uint64, a11 string, a12 int8, a13 uint16, a14 float32, a15 float64, a16 int32, a17 string) many {
	return echo(many{a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17})
}

func ViaHostBool(v bool) bool                          { return HostEchoBool(echo(v)) }
func ViaHostU8(v uint8) uint8                          { return HostEchoU8(echo(v)) }
func ViaHostS8(v int8) int8                            { return HostEchoS8(echo(v)) }
func ViaHostU16(v uint16) uint16                       { return HostEchoU16(echo(v)) }
func ViaHostS16(v int16) int16                         { return HostEchoS16(echo(v)) }
func ViaHostU32(v uint32) uint32                       { return HostEchoU32(echo(v)) }
func ViaHostS32(v int32) int32                         { return HostEchoS32(echo(v)) }
func ViaHostU64(v uint64) uint64                       { return HostEchoU64(echo(v)) }
func ViaHostF64(v float64) float64                     { return HostEchoF64(echo(v)) }
func ViaHostF32(v float32) float32                     { return HostEchoF32(echo(v)) }
func ViaHostS64(v int64) int64                         { return HostEchoS64(echo(v)) }
func ViaHostChar(v rune) rune                          { return HostEchoChar(echo(v)) }
func ViaHostString(v string) string                    { return HostEchoString(echo(v)) }
func ViaHostBytes(v Bytes) Bytes                       { return HostEchoBytes(echo(v)) }
func ViaHostU32s(v []uint32) []uint32                  { return HostEchoU32s(echo(v)) }
func ViaHostPoint(v Point) Point                       { return HostEchoPoint(echo(v)) }
func ViaHostBag(v Bag) Bag                             { return HostEchoBag(echo(v)) }
func ViaHostColor(v Color) Color                       { return HostEchoColor(echo(v)) }
func ViaHostPerms(v Perms) Perms                       { return HostEchoPerms(echo(v)) }
func ViaHostShape(v Shape) Shape                       { return HostEchoShape(echo(v)) }
func ViaHostStrings(v []string) []string               { return HostEchoStrings(echo(v)) }
func ViaHostOption(v Option[string]) Option[string]    { return HostEchoOption(echo(v)) }
func ViaHostOptionPoint(v Option[Point]) Option[Point] { return HostEchoOptionPoint(echo(v)) }
func ViaHostResultUnit(v Result[struct{}, string]) Result[struct{}, string] {
	return HostEchoResultUnit(echo(v))
}
func ViaHostResultTagged(v Result[uint32, uint64]) Result[uint32, uint64] {
	return HostEchoResultTagged(echo(v))
}
func ViaHostResult(v Result[string, uint32]) Result[string, uint32] { return HostEchoResult(echo(v)) }
func ViaHostTuple(v tup) tup                                        { return HostEchoTuple(echo(v)) }

func ViaHostMany(a1 uint8, a2 int16, a3 uint32, a4 int64, a5 float32, a6 float64, a7 string, a8 bool, a9 rune,
	a10 uint64, a11 string, a12 int8, a13 uint16, a14 float32, a15 float64, a16 int32, a17 string) many {
	return HostManyArgs(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17)
}

func Outstanding() uint32 { return uint32(BindgenOutstanding()) }

func HeapAlloc() uint64 {
	garbage = nil
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func main() {}

// stack implements the WIT resource stack.
type stack struct {
	label string
	items []Bag
}

var stacksDropped uint32

func NewStack(label string) Stack { return &stack{label: echo(label)} }

func (s *stack) Push(v Bag) uint32 { s.items = append(s.items, echo(v)); return uint32(len(s.items)) }
func (s *stack) Label() string     { return s.label }
func (s *stack) Drop()             { stacksDropped++ }

func (s *stack) Pop() Option[Bag] {
	if len(s.items) == 0 {
		return None[Bag]()
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return Some(v)
}

func StackConcat(a, b Stack) Stack {
	x, y := a.(*stack), b.(*stack)
	return &stack{label: x.label + y.label, items: append(append([]Bag{}, x.items...), y.items...)}
}

func StackConsume(s Stack) []Bag { return s.(*stack).items }

func StacksCounts() Tuple2[uint32, uint32] {
	return Tuple2[uint32, uint32]{F0: uint32(BindgenResources()), F1: stacksDropped}
}

func ViaHostBook(name string, bags []Bag) Tuple3[string, []Bag, []Bag] {
	b, c := NewLogBook(echo(name)), NewLogBook(name)
	for _, v := range bags {
		b.Add(v)
		c.Add(v)
	}
	got := []Bag{}
	for i := uint32(0); ; i++ {
		o := b.Get(i)
		if !o.Some {
			break
		}
		got = append(got, o.Value)
	}
	n := b.Name()
	b.Drop()
	return Tuple3[string, []Bag, []Bag]{F0: n, F1: got, F2: LogBookClose(c)}
}

// StackSizes reads stacks the host lends inside a list, an option, a tuple, a record and a variant.
func StackSizes(xs []Stack, maybe Option[Stack], pair Tuple2[Stack, uint32], refs []StackRef, pick StackPick) []uint32 {
	size := func(s Stack) uint32 { return uint32(len(s.(*stack).items)) }
	out := []uint32{}
	for _, s := range xs {
		out = append(out, size(s))
	}
	if maybe.Some {
		out = append(out, size(maybe.Value))
	} else {
		out = append(out, 1000)
	}
	out = append(out, size(pair.F0)+pair.F1)
	for _, r := range refs {
		out = append(out, size(r.S)*r.Weight)
	}
	switch pick.Tag {
	case StackPickOne:
		out = append(out, size(pick.One))
	case StackPickTwo:
		out = append(out, size(pick.Two.F0)+size(pick.Two.F1))
	default:
		out = append(out, 1000)
	}
	return echo(out)
}

// ViaHostNames lends log books to the host in a list, an option, a tuple, a record and a variant.
func ViaHostNames(names []string) []string {
	got := []string{}
	for i, name := range names {
		b := NewLogBook(echo(name))
		maybe, pick := None[LogBook](), BookPick{Tag: BookPickNone}
		if i%2 == 0 {
			maybe, pick = Some(b), BookPick{Tag: BookPickOne, One: b}
		}
		got = append(got, HostNameInList([]LogBook{b}), HostNameInOption(maybe), HostNameInTuple(Tuple2[LogBook, uint32]{F0: b, F1: uint32(i)}),
			HostNameInRecord(BookRef{B: b, Weight: uint32(i)}), HostNameInVariant(pick))
		b.Drop()
	}
	return got
}

// BookNames reads log books the host lends to this export (borrows of an imported resource).
func BookNames(xs []LogBook) []string {
	out := []string{}
	for _, b := range xs {
		out = append(out, b.Name())
	}
	return echo(out)
}

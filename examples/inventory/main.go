// An inventory kept across calls: records, lists, variants and results through generated
// bindings (inventory_bindings.go), and a host import for logging. No unsafe, no ABI code.
package main

import (
	"fmt"
	"sort"
)

//go:generate python -m patcher bindgen --wit inventory.wit --world inventory -o .

var items = map[string]Item{}

func StoreAdd(batch []Item) Result[uint32, Problem] {
	for _, it := range batch {
		if it.Sku == "" {
			return Err[uint32](Problem{Tag: ProblemInvalid, Invalid: "empty sku for " + it.Name})
		}
	}
	for _, it := range batch {
		if old, ok := items[it.Sku]; ok {
			it.Qty += old.Qty
		}
		items[it.Sku] = it
	}
	Log(fmt.Sprintf("added %d item(s), %d in stock", len(batch), len(items)))
	return Ok[uint32, Problem](uint32(len(items)))
}

func StoreTake(sku string, qty uint32) Result[Item, Problem] {
	it, ok := items[sku]
	switch {
	case !ok:
		return Err[Item](Problem{Tag: ProblemUnknownSku, UnknownSku: sku})
	case it.Qty < qty:
		return Err[Item](Problem{Tag: ProblemNotEnough, NotEnough: it.Qty})
	}
	it.Qty -= qty
	items[sku] = it
	return Ok[Item, Problem](it)
}

func StoreFind(q Query) []Item {
	out := []Item{}
	for _, it := range items {
		if q.Tag == QueryAll || (q.Tag == QueryBySku && it.Sku == q.BySku) || (q.Tag == QueryBelowQty && it.Qty < q.BelowQty) {
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Sku < out[j].Sku })
	return out
}

func StoreValueCents() uint64 {
	var total uint64
	for _, it := range items {
		total += uint64(it.Qty) * it.PriceCents
	}
	return total
}

func main() {}

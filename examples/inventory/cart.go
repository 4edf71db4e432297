package main

import "sort"

// cart implements the WIT resource cart; the host holds it by handle.
type cart struct {
	owner string
	qty   map[string]uint32
}

func NewCart(owner string) Cart { return &cart{owner: owner, qty: map[string]uint32{}} }

func (c *cart) Add(sku string, qty uint32) Result[uint32, Problem] {
	if _, ok := items[sku]; !ok {
		return Err[uint32](Problem{Tag: ProblemUnknownSku, UnknownSku: sku})
	}
	c.qty[sku] += qty
	return Ok[uint32, Problem](c.qty[sku])
}

func (c *cart) Lines() []Tuple2[string, uint32] {
	out := []Tuple2[string, uint32]{}
	for sku, n := range c.qty {
		out = append(out, Tuple2[string, uint32]{F0: sku, F1: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].F0 < out[j].F0 })
	return out
}

// Drop runs when the host drops its handle (not when checkout takes the cart over).
func (c *cart) Drop() { Log("cart of " + c.owner + " dropped") }

func CartMerge(a, b Cart) Cart {
	m := NewCart(a.(*cart).owner).(*cart)
	for _, c := range []Cart{a, b} {
		for sku, n := range c.(*cart).qty {
			m.qty[sku] += n
		}
	}
	return m
}

// CartCheckout consumes the cart: every line is taken from the stock, or nothing is.
func CartCheckout(c Cart) Result[uint64, Problem] {
	var total uint64
	for sku, n := range c.(*cart).qty {
		if it := items[sku]; it.Qty < n {
			return Err[uint64](Problem{Tag: ProblemNotEnough, NotEnough: it.Qty})
		}
		total += uint64(n) * items[sku].PriceCents
	}
	for sku, n := range c.(*cart).qty {
		StoreTake(sku, n)
	}
	return Ok[uint64, Problem](total)
}

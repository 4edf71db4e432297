// preinit-plugin: a JavaScript plugin host (goja) that compiles and runs its prelude in init(),
// as plugin hosts do, then answers calls into it. bench/start.py times its start with and
// without `componentize --preinit`.
package main

import (
	"fmt"
	"strings"

	"github.com/dop251/goja"
)

//go:generate python -m patcher bindgen --wit plugin.wit --world plugin -o .

var vm *goja.Runtime

// prelude builds a library of small functions, the way a plugin SDK ships one.
func prelude() string {
	var b strings.Builder
	b.WriteString("var lib = {};\n")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&b, "lib.f%d = function(x) { var s = 0; for (var k = 0; k < %d; k++) { s += (x * k) %% %d; } return s + %d; };\n", i, 5+i%7, 97+i, i)
	}
	b.WriteString("function route(name, x) { return lib[name](x); }\n")
	b.WriteString("var table = []; for (var i = 0; i < 2000; i++) { table.push({id: i, name: 'item' + i, tags: ['a' + (i % 13), 'b' + (i % 7)]}); }\n")
	b.WriteString("function lookup(i) { return JSON.stringify(table[i]); }\n")
	return b.String()
}

func init() {
	vm = goja.New()
	prog, err := goja.Compile("prelude.js", prelude(), false)
	if err != nil {
		panic(err)
	}
	if _, err := vm.RunProgram(prog); err != nil {
		panic(err)
	}
}

// Run implements the WIT export run: evaluate an expression against the prelude.
func Run(expr string) string {
	v, err := vm.RunString(expr)
	if err != nil {
		return "error: " + err.Error()
	}
	return v.String()
}

func main() {}

// cmd-stdin-scan: bufio.Scanner over stdin, line by line and word by word,
// with a word-frequency table. A typical line-oriented filter program;
// checks many small fd_read calls through the adapter.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	sc := bufio.NewScanner(os.Stdin)
	freq := map[string]int{}
	lines, words := 0, 0
	for sc.Scan() {
		lines++
		line := sc.Text()
		fmt.Printf("%3d| %s\n", lines, strings.ToUpper(line))
		for _, w := range strings.Fields(line) {
			words++
			freq[strings.ToLower(strings.Trim(w, ".,!?"))]++
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "scan error:", err)
		os.Exit(1)
	}
	keys := make([]string, 0, len(freq))
	for k := range freq {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if freq[keys[i]] != freq[keys[j]] {
			return freq[keys[i]] > freq[keys[j]]
		}
		return keys[i] < keys[j]
	})
	fmt.Printf("lines=%d words=%d distinct=%d\n", lines, words, len(keys))
	for _, k := range keys[:5] {
		fmt.Printf("%s=%d\n", k, freq[k])
	}
}

// bench/porcupine: porcupine's own verdict and check times on etcd oracle histories, the other half of
// bench/oracles.ts's paired table. It serves requests on stdin so that the caller can interleave its own runs with
// porcupine's file by file: a request line "<log path>\t<runs>" is answered "<linearizable>\t<ms> <ms> ..." (one
// time a run, check only: the parse is done once per file and left out, as on the caller's side).
// Run: go build -o porcupine-bench . && ./porcupine-bench
//
// parseJepsenLog and etcdModel are copied from porcupine's porcupine_test.go (github.com/anishathalye/porcupine
// v1.3.1, MIT licence, Copyright (c) Anish Athalye): the parse and model its own test suite judges these files
// with, so the verdicts and times are porcupine's as its author runs it. Changed: the file name is an argument,
// errors are returned, DescribeOperation is left out (only visualization uses it).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
)

type etcdInput struct {
	op   uint8 // 0 => read, 1 => write, 2 => cas
	arg1 int   // used for write, or for CAS from argument
	arg2 int   // used for CAS to argument
}

type etcdOutput struct {
	ok      bool // used for CAS
	exists  bool // used for read
	value   int  // used for read
	unknown bool // used when operation times out
}

var etcdModel = porcupine.Model{
	Init: func() interface{} { return -1000000 }, // -1000000 corresponds with nil
	Step: func(state interface{}, input interface{}, output interface{}) (bool, interface{}) {
		st := state.(int)
		inp := input.(etcdInput)
		out := output.(etcdOutput)
		if inp.op == 0 {
			// read
			ok := (out.exists == false && st == -1000000) || (out.exists == true && st == out.value) || out.unknown
			return ok, state
		} else if inp.op == 1 {
			// write
			return true, inp.arg1
		} else {
			// cas
			ok := (inp.arg1 == st && out.ok) || (inp.arg1 != st && !out.ok) || out.unknown
			result := st
			if inp.arg1 == st {
				result = inp.arg2
			}
			return ok, result
		}
	},
}

var (
	invokeRead  = regexp.MustCompile(`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:invoke\s+:read\s+nil$`)
	invokeWrite = regexp.MustCompile(`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:invoke\s+:write\s+(\d+)$`)
	invokeCas   = regexp.MustCompile(`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:invoke\s+:cas\s+\[(\d+)\s+(\d+)\]$`)
	returnRead  = regexp.MustCompile(`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:ok\s+:read\s+(nil|\d+)$`)
	returnWrite = regexp.MustCompile(`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:ok\s+:write\s+(\d+)$`)
	returnCas   = regexp.MustCompile(`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(ok|fail)\s+:cas\s+\[(\d+)\s+(\d+)\]$`)
	timeoutRead = regexp.MustCompile(`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:fail\s+:read\s+:timed-out$`)
)

func parseJepsenLog(filename string) ([]porcupine.Event, error) {
	file, err := os.Open(filename)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	reader := bufio.NewReader(file)
	var events []porcupine.Event
	id := 0
	procIdMap := make(map[int]int)
	for {
		lineBytes, isPrefix, err := reader.ReadLine()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if isPrefix {
			return nil, fmt.Errorf("%s: a line too long", filename)
		}
		line := string(lineBytes)
		switch {
		case invokeRead.MatchString(line):
			args := invokeRead.FindStringSubmatch(line)
			proc, _ := strconv.Atoi(args[1])
			events = append(events, porcupine.Event{ClientId: proc, Kind: porcupine.CallEvent, Value: etcdInput{op: 0}, Id: id})
			procIdMap[proc] = id
			id++
		case invokeWrite.MatchString(line):
			args := invokeWrite.FindStringSubmatch(line)
			proc, _ := strconv.Atoi(args[1])
			value, _ := strconv.Atoi(args[2])
			events = append(events, porcupine.Event{ClientId: proc, Kind: porcupine.CallEvent, Value: etcdInput{op: 1, arg1: value}, Id: id})
			procIdMap[proc] = id
			id++
		case invokeCas.MatchString(line):
			args := invokeCas.FindStringSubmatch(line)
			proc, _ := strconv.Atoi(args[1])
			from, _ := strconv.Atoi(args[2])
			to, _ := strconv.Atoi(args[3])
			events = append(events, porcupine.Event{ClientId: proc, Kind: porcupine.CallEvent, Value: etcdInput{op: 2, arg1: from, arg2: to}, Id: id})
			procIdMap[proc] = id
			id++
		case returnRead.MatchString(line):
			args := returnRead.FindStringSubmatch(line)
			proc, _ := strconv.Atoi(args[1])
			exists := false
			value := 0
			if args[2] != "nil" {
				exists = true
				value, _ = strconv.Atoi(args[2])
			}
			matchId := procIdMap[proc]
			delete(procIdMap, proc)
			events = append(events, porcupine.Event{ClientId: proc, Kind: porcupine.ReturnEvent, Value: etcdOutput{exists: exists, value: value}, Id: matchId})
		case returnWrite.MatchString(line):
			args := returnWrite.FindStringSubmatch(line)
			proc, _ := strconv.Atoi(args[1])
			matchId := procIdMap[proc]
			delete(procIdMap, proc)
			events = append(events, porcupine.Event{ClientId: proc, Kind: porcupine.ReturnEvent, Value: etcdOutput{}, Id: matchId})
		case returnCas.MatchString(line):
			args := returnCas.FindStringSubmatch(line)
			proc, _ := strconv.Atoi(args[1])
			matchId := procIdMap[proc]
			delete(procIdMap, proc)
			events = append(events, porcupine.Event{ClientId: proc, Kind: porcupine.ReturnEvent, Value: etcdOutput{ok: args[2] == "ok"}, Id: matchId})
		case timeoutRead.MatchString(line):
			args := timeoutRead.FindStringSubmatch(line)
			proc, _ := strconv.Atoi(args[1])
			matchId := procIdMap[proc]
			delete(procIdMap, proc)
			events = append(events, porcupine.Event{ClientId: proc, Kind: porcupine.ReturnEvent, Value: etcdOutput{unknown: true}, Id: matchId})
		}
	}
	// Sorted, unlike the original's map order: the same events every run.
	procs := make([]int, 0, len(procIdMap))
	for proc := range procIdMap {
		procs = append(procs, proc)
	}
	sort.Ints(procs)
	for _, proc := range procs {
		events = append(events, porcupine.Event{ClientId: proc, Kind: porcupine.ReturnEvent, Value: etcdOutput{unknown: true}, Id: procIdMap[proc]})
	}
	return events, nil
}

// Bounds a request, so that a malformed one cannot hold the caller.
const maxRuns = 1000

func serve(in io.Reader, out io.Writer) error {
	parsed := make(map[string][]porcupine.Event)
	requests := bufio.NewScanner(in)
	answers := bufio.NewWriter(out)
	for requests.Scan() {
		path, runsField, found := strings.Cut(requests.Text(), "\t")
		runs, err := strconv.Atoi(runsField)
		if !found || err != nil || runs < 1 || runs > maxRuns {
			return fmt.Errorf("request %q: not \"<log path>\\t<runs 1-%d>\"", requests.Text(), maxRuns)
		}
		events, ok := parsed[path]
		if !ok {
			if events, err = parseJepsenLog(path); err != nil {
				return err
			}
			parsed[path] = events
		}
		var verdict bool
		times := make([]string, runs)
		for i := range times {
			t0 := time.Now()
			v := porcupine.CheckEvents(etcdModel, events)
			elapsed := time.Since(t0)
			if i > 0 && v != verdict {
				return fmt.Errorf("%s: porcupine's verdict changed between runs", path)
			}
			verdict = v
			times[i] = strconv.FormatFloat(float64(elapsed.Nanoseconds())/1e6, 'f', 4, 64)
		}
		fmt.Fprintf(answers, "%t\t%s\n", verdict, strings.Join(times, " "))
		if err := answers.Flush(); err != nil {
			return err
		}
	}
	return requests.Err()
}

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintln(os.Stderr, "usage: porcupine-bench < requests (\"<log path>\\t<runs>\" a line)")
		os.Exit(2)
	}
	if err := serve(os.Stdin, os.Stdout); err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

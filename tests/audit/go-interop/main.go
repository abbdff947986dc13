// Interop probe run by go-interop.test.ts with Go's unmodified golang.org/x/mod/sumdb/{note,tlog}.
// Mode "check": verify what Memory Vault produced. Mode "make": produce notes and proofs for
// Memory Vault to verify. Prints OK (check) or a JSON document (make); anything else is a failure.
package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type inclusion struct {
	Index    int64    `json:"index"`
	LeafHash string   `json:"leafHash"`
	Proof    []string `json:"proof"`
}

type checkInput struct {
	VerifierKey     string      `json:"verifierKey"`
	Checkpoint      string      `json:"checkpoint"`
	OlderCheckpoint string      `json:"olderCheckpoint"`
	Consistency     []string    `json:"consistency"`
	Inclusions      []inclusion `json:"inclusions"`
	GoTreeNote      string      `json:"goTreeNote"`
	LeafHashes      []string    `json:"leafHashes"`
	StoredHashes    []string    `json:"storedHashes"`
}

func die(format string, args ...interface{}) {
	fmt.Printf("FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func hash(s string) tlog.Hash {
	h, err := tlog.ParseHash(s)
	if err != nil {
		die("bad hash %q: %v", s, err)
	}
	return h
}

func hashes(ss []string) []tlog.Hash {
	out := make([]tlog.Hash, len(ss))
	for i, s := range ss {
		out[i] = hash(s)
	}
	return out
}

// openCheckpoint opens a C2SP checkpoint with note.Open and parses its first three lines.
func openCheckpoint(msg string, v note.Verifier) (string, tlog.Tree) {
	n, err := note.Open([]byte(msg), note.VerifierList(v))
	if err != nil {
		die("note.Open: %v", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		die("checkpoint has fewer than three lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || strconv.FormatInt(size, 10) != lines[1] {
		die("bad size line %q", lines[1])
	}
	return lines[0], tlog.Tree{N: size, Hash: hash(lines[2])}
}

type memReader []tlog.Hash

func (m *memReader) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = (*m)[x]
	}
	return out, nil
}

func check(in checkInput) {
	v, err := note.NewVerifier(in.VerifierKey)
	if err != nil {
		die("note.NewVerifier: %v", err)
	}
	origin, tree := openCheckpoint(in.Checkpoint, v)
	if origin != v.Name() {
		die("origin %q != key name %q", origin, v.Name())
	}
	_, older := openCheckpoint(in.OlderCheckpoint, v)
	if err := tlog.CheckTree(hashes(in.Consistency), tree.N, tree.Hash, older.N, older.Hash); err != nil {
		die("tlog.CheckTree: %v", err)
	}
	for _, inc := range in.Inclusions {
		if err := tlog.CheckRecord(hashes(inc.Proof), tree.N, tree.Hash, inc.Index, hash(inc.LeafHash)); err != nil {
			die("tlog.CheckRecord(%d): %v", inc.Index, err)
		}
	}
	// A checkpoint whose origin is Go's own tree header must parse with tlog.ParseTree unchanged.
	n, err := note.Open([]byte(in.GoTreeNote), note.VerifierList(v))
	if err != nil {
		die("note.Open(go tree): %v", err)
	}
	gt, err := tlog.ParseTree([]byte(n.Text))
	if err != nil || gt != tree {
		die("tlog.ParseTree: %v (%v vs %v)", err, gt, tree)
	}
	// Our stored-hash layout must be Go's, index for index.
	var r memReader
	for i, lh := range in.LeafHashes {
		hs, err := tlog.StoredHashesForRecordHash(int64(i), hash(lh), &r)
		if err != nil {
			die("StoredHashesForRecordHash: %v", err)
		}
		r = append(r, hs...)
	}
	if len(r) != len(in.StoredHashes) {
		die("stored hash count %d != %d", len(in.StoredHashes), len(r))
	}
	for i, h := range in.StoredHashes {
		if hash(h) != r[i] {
			die("stored hash %d differs", i)
		}
	}
	th, err := tlog.TreeHash(int64(len(in.LeafHashes)), &r)
	if err != nil || th != tree.Hash {
		die("tlog.TreeHash differs from the checkpoint root")
	}
	fmt.Println("OK")
}

func make_(name string, leafCount int64) {
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		die("GenerateKey: %v", err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		die("NewSigner: %v", err)
	}
	var r memReader
	var leaves []string
	for i := int64(0); i < leafCount; i++ {
		lh := tlog.RecordHash([]byte(fmt.Sprintf("go record %d", i)))
		leaves = append(leaves, lh.String())
		hs, err := tlog.StoredHashes(i, []byte(fmt.Sprintf("go record %d", i)), &r)
		if err != nil {
			die("StoredHashes: %v", err)
		}
		r = append(r, hs...)
	}
	th, _ := tlog.TreeHash(leafCount, &r)
	text := fmt.Sprintf("%s\n%d\n%s\n", name, leafCount, th)
	signed, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		die("Sign: %v", err)
	}
	type proofOut struct {
		Index int64    `json:"index"`
		Proof []string `json:"proof"`
	}
	var incs []proofOut
	for i := int64(0); i < leafCount; i += 7 {
		p, err := tlog.ProveRecord(leafCount, i, &r)
		if err != nil {
			die("ProveRecord: %v", err)
		}
		var ps []string
		for _, h := range p {
			ps = append(ps, h.String())
		}
		incs = append(incs, proofOut{i, ps})
	}
	var cons []proofOut
	for n := int64(1); n <= leafCount; n += 5 {
		p, err := tlog.ProveTree(leafCount, n, &r)
		if err != nil {
			die("ProveTree: %v", err)
		}
		var ps []string
		for _, h := range p {
			ps = append(ps, h.String())
		}
		cons = append(cons, proofOut{n, ps})
	}
	var stored []string
	for _, h := range r {
		stored = append(stored, base64.StdEncoding.EncodeToString(h[:]))
	}
	out, _ := json.Marshal(map[string]interface{}{
		"signerKey": skey, "verifierKey": vkey, "text": text, "signed": string(signed),
		"leafHashes": leaves, "storedHashes": stored, "root": th.String(),
		"inclusions": incs, "consistency": cons,
	})
	fmt.Println(string(out))
}

// cliProof is what `memory-vault audit prove --from-size M --json` prints, plus the older
// checkpoint the auditor saved earlier and the log's verifier key.
type cliProof struct {
	VerifierKey     string `json:"verifierKey"`
	SavedCheckpoint string `json:"savedCheckpoint"`
	Event           string `json:"event"`
	TlogProof       string `json:"tlogProof"`
	Consistency     struct {
		Proof []string `json:"proof"`
	} `json:"consistency"`
}

// checkCliProof parses the C2SP tlog-proof by hand (index line, hashes, empty line, checkpoint),
// opens its checkpoint with note.Open, checks the event's inclusion with tlog.CheckRecord and the
// consistency proof from the saved checkpoint with tlog.CheckTree.
func checkCliProof(in cliProof) {
	v, err := note.NewVerifier(in.VerifierKey)
	if err != nil {
		die("note.NewVerifier: %v", err)
	}
	parts := strings.SplitN(in.TlogProof, "\n\n", 2)
	if len(parts) != 2 {
		die("tlog-proof has no empty line before the checkpoint")
	}
	lines := strings.Split(parts[0], "\n")
	if lines[0] != "c2sp.org/tlog-proof@v1" || !strings.HasPrefix(lines[1], "index ") {
		die("bad tlog-proof header")
	}
	index, err := strconv.ParseInt(strings.TrimPrefix(lines[1], "index "), 10, 64)
	if err != nil {
		die("bad index: %v", err)
	}
	_, tree := openCheckpoint(parts[1], v)
	if err := tlog.CheckRecord(hashes(lines[2:]), tree.N, tree.Hash, index, tlog.RecordHash([]byte(in.Event))); err != nil {
		die("tlog.CheckRecord: %v", err)
	}
	_, older := openCheckpoint(in.SavedCheckpoint, v)
	if err := tlog.CheckTree(hashes(in.Consistency.Proof), tree.N, tree.Hash, older.N, older.Hash); err != nil {
		die("tlog.CheckTree(%d -> %d): %v", older.N, tree.N, err)
	}
	fmt.Println("OK")
}

func main() {
	switch os.Args[1] {
	case "cliproof":
		data, err := os.ReadFile(os.Args[2])
		if err != nil {
			die("read: %v", err)
		}
		var in cliProof
		if err := json.Unmarshal(data, &in); err != nil {
			die("json: %v", err)
		}
		checkCliProof(in)
	case "check":
		data, err := os.ReadFile(os.Args[2])
		if err != nil {
			die("read: %v", err)
		}
		var in checkInput
		if err := json.Unmarshal(data, &in); err != nil {
			die("json: %v", err)
		}
		check(in)
	case "make":
		n, _ := strconv.ParseInt(os.Args[3], 10, 64)
		make_(os.Args[2], n)
	default:
		die("unknown mode")
	}
}

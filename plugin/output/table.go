package output

import (
	"io"
	"strings"

	"k8s.io/cli-runtime/pkg/printers"
)

// Column is a table column; Wide columns show only with -o wide.
type Column struct {
	Header string
	Wide   bool
}

// Table is rows under columns, printed as kubectl prints tables.
type Table struct {
	Columns []Column
	Rows    [][]string
}

// Print writes the table aligned with tabs; wide includes the wide columns. An empty cell prints
// as "-" so that columns stay aligned for readers and for awk.
func (t Table) Print(w io.Writer, wide, headers bool) error {
	tw := printers.GetNewTabWriter(w)
	keep := make([]bool, len(t.Columns))
	var cells []string
	for i, c := range t.Columns {
		keep[i] = wide || !c.Wide
		if keep[i] {
			cells = append(cells, strings.ToUpper(c.Header))
		}
	}
	if headers {
		if _, err := io.WriteString(tw, strings.Join(cells, "\t")+"\n"); err != nil {
			return err
		}
	}
	for _, row := range t.Rows {
		cells = cells[:0]
		for i, v := range row {
			if i < len(keep) && keep[i] {
				if v == "" {
					v = "-"
				}
				cells = append(cells, oneLine(v))
			}
		}
		if _, err := io.WriteString(tw, strings.Join(cells, "\t")+"\n"); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// String renders the table (narrow form, with headers).
func (t Table) String() string {
	var b strings.Builder
	_ = t.Print(&b, false, true)
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\t", " ")), " ")
}

// Package output prints results for people the way kubectl does: aligned tables (with a wide form),
// and the objects themselves as json, yaml, name or jsonpath through cli-runtime's printers.
package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/printers"
	"sigs.k8s.io/yaml"
)

// Flags is the -o flag of a command: "" or "wide" print a table, anything else goes to cli-runtime.
type Flags struct {
	print *genericclioptions.PrintFlags
	// Wide says whether the command offers -o wide.
	Wide bool
	// dataOnly flags print a result that is data, not Kubernetes objects: json or yaml only.
	dataOnly bool
}

// NewFlags returns the -o flag set; wide adds -o wide.
func NewFlags(wide bool) *Flags {
	return &Flags{print: genericclioptions.NewPrintFlags(""), Wide: wide}
}

// NewDataFlags returns the -o flag of a command whose result is data rather than Kubernetes
// objects: the default view for people, json or yaml.
func NewDataFlags() *Flags {
	return &Flags{print: genericclioptions.NewPrintFlags(""), dataOnly: true}
}

// AddFlags registers -o (and --template, --show-managed-fields, --allow-missing-template-keys).
func (f *Flags) AddFlags(cmd *cobra.Command) {
	f.print.AddFlags(cmd)
	cmd.Flag("template").Usage = "Template string or path to template file to use when -o=jsonpath, -o=jsonpath-file."
	formats := f.allowedFormats()
	if f.Wide {
		formats = append([]string{"wide"}, formats...)
	}
	if f.dataOnly {
		formats = []string{"json", "yaml"}
		// The printer flags for objects mean nothing for a result that is not one.
		for _, name := range []string{"template", "show-managed-fields", "allow-missing-template-keys"} {
			_ = cmd.Flags().MarkHidden(name)
		}
	}
	cmd.Flag("output").Usage = "Output format. One of: (" + strings.Join(formats, ", ") + ")."
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return formats, cobra.ShellCompDirectiveNoFileComp
	})
}

// Format is the requested format ("" for the default table).
func (f *Flags) Format() string { return *f.print.OutputFormat }

// IsTable says whether the output is a table (default or wide).
func (f *Flags) IsTable() bool { return f.Format() == "" || (f.Wide && f.Format() == "wide") }

// IsWide says whether -o wide was asked for.
func (f *Flags) IsWide() bool { return f.Wide && f.Format() == "wide" }

// Validate rejects an unknown format before the command does any work.
func (f *Flags) Validate() error {
	if f.IsTable() {
		return nil
	}
	if f.dataOnly {
		if f.Format() == "json" || f.Format() == "yaml" {
			return nil
		}
		return fmt.Errorf("unknown output format %q: use json or yaml", f.Format())
	}
	_, err := f.toPrinter()
	if err != nil {
		if genericclioptions.IsNoCompatiblePrinterError(err) {
			allowed := f.allowedFormats()
			if f.Wide {
				allowed = append([]string{"wide"}, allowed...)
			}
			return fmt.Errorf("unknown output format %q: use one of %s", f.Format(), strings.Join(allowed, ", "))
		}
		return err
	}
	return nil
}

// PrintObjects prints objects in the chosen non-table format. A single object prints as itself
// unless asList, more as a v1 List, as kubectl does.
func (f *Flags) PrintObjects(w io.Writer, objs []*unstructured.Unstructured, asList bool) error {
	p, err := f.toPrinter()
	if err != nil {
		return err
	}
	if f.Format() == "name" {
		for _, o := range objs {
			if err := p.PrintObj(o, w); err != nil {
				return err
			}
		}
		return nil
	}
	if len(objs) == 1 && !asList {
		return p.PrintObj(objs[0], w)
	}
	return p.PrintObj(AsList(objs), w)
}

// PrintData prints a result that is not a Kubernetes object (json or yaml only).
func (f *Flags) PrintData(w io.Writer, data any) error {
	var (
		b   []byte
		err error
	)
	switch f.Format() {
	case "json":
		b, err = json.MarshalIndent(data, "", "    ")
		b = append(b, '\n')
	case "yaml":
		b, err = yaml.Marshal(data)
	default:
		return fmt.Errorf("output format %q is not supported here: use json or yaml", f.Format())
	}
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// AsList wraps objects in a v1 List, the shape kubectl prints for many objects.
func AsList(objs []*unstructured.Unstructured) *unstructured.UnstructuredList {
	list := &unstructured.UnstructuredList{Object: map[string]any{"apiVersion": "v1", "kind": "List", "metadata": map[string]any{"resourceVersion": ""}}}
	for _, o := range objs {
		list.Items = append(list.Items, *o)
	}
	return list
}

// isGoTemplate says whether a format of cli-runtime's printers runs a Go text/template. Those are
// not offered: a reachable template execution makes the Go linker keep every exported method of
// every type (text/template looks methods up by name), which made the binary 12 MB larger and
// `serve` ~4.8 MiB more resident (docs/performance.md, "Dead code elimination"). jsonpath covers
// the use.
func isGoTemplate(format string) bool {
	switch format {
	case "go-template", "go-template-file", "template", "templatefile":
		return true
	}
	return false
}

// allowedFormats are cli-runtime's formats without the Go template ones.
func (f *Flags) allowedFormats() []string {
	var out []string
	for _, format := range f.print.AllowedFormats() {
		if !isGoTemplate(format) {
			out = append(out, format)
		}
	}
	return out
}

// toPrinter is cli-runtime's PrintFlags.ToPrinter without its Go template printer (see
// isGoTemplate); a --template without -o never gets here (it prints the table).
func (f *Flags) toPrinter() (printers.ResourcePrinter, error) {
	format, p := f.Format(), f.print
	if pr, err := p.JSONYamlPrintFlags.ToPrinter(format); !genericclioptions.IsNoCompatiblePrinterError(err) {
		return p.TypeSetterPrinter.WrapToPrinter(pr, err)
	}
	if pr, err := p.NamePrintFlags.ToPrinter(format); !genericclioptions.IsNoCompatiblePrinterError(err) {
		return p.TypeSetterPrinter.WrapToPrinter(pr, err)
	}
	if pr, err := p.TemplatePrinterFlags.JSONPathPrintFlags.ToPrinter(format); !genericclioptions.IsNoCompatiblePrinterError(err) {
		return p.TypeSetterPrinter.WrapToPrinter(pr, err)
	}
	return nil, genericclioptions.NoCompatiblePrinterError{OutputFormat: p.OutputFormat, AllowedFormats: f.allowedFormats()}
}

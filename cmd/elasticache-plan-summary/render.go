package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Marker is the first line of every Markdown summary: CI finds its own earlier comment by it
// and updates that comment instead of adding another.
const Marker = "<!-- elasticache-plan-summary -->"

// WriteJSON writes the summary for bots: indented, keys in a fixed order, a final newline.
func WriteJSON(w io.Writer, s Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// WriteMarkdown writes the PR comment. The same summary always gives the same bytes.
func WriteMarkdown(w io.Writer, s Summary) error {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	if len(s.Stacks) == 0 {
		b.WriteString("**ElastiCache:** no ElastiCache changes.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "### ElastiCache: %d stack%s to change, %s/month\n\n", len(s.Stacks), plural(len(s.Stacks)),
		signedUSD(s.MonthlyChangeUSD))
	b.WriteString("| Stack | Action | Shape | Monthly before | Monthly after | Change |\n")
	b.WriteString("| --- | --- | --- | ---: | ---: | ---: |\n")
	for _, sc := range s.Stacks {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", sc.Address, sc.Action, shapeCell(sc),
			optUSD(sc.MonthlyBefore, usd), optUSD(sc.MonthlyAfter, usd), optUSD(sc.MonthlyChange, signedUSD))
	}
	fmt.Fprintf(&b, "\n**Total monthly change: %s** (%s → %s, USD, on-demand estimates)\n", signedUSD(s.MonthlyChangeUSD),
		usd(s.MonthlyBeforeUSD), usd(s.MonthlyAfterUSD))
	if len(s.CostUnknown) > 0 {
		fmt.Fprintf(&b, "Cost known only after apply, not in the total: %s.\n", codeList(s.CostUnknown))
	}
	writeWarnings(&b, s)
	writeRecommendations(&b, s)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeWarnings(b *strings.Builder, s Summary) {
	if !s.WarningsRead {
		b.WriteString("\n_Warnings not read: pass the `terraform plan -json` output with `--plan-log`._\n")
		return
	}
	started := false
	for _, sc := range s.Stacks {
		if len(sc.Warnings) == 0 {
			continue
		}
		if !started {
			b.WriteString("\n#### Warnings\n")
			started = true
		}
		fmt.Fprintf(b, "\n`%s`\n", sc.Address)
		for _, w := range sc.Warnings {
			b.WriteString("- ")
			if len(w.Labels) > 0 {
				fmt.Fprintf(b, "**%s** · ", strings.Join(w.Labels, ", "))
			}
			b.WriteString(w.Summary)
			if w.Attribute != "" {
				fmt.Fprintf(b, " (%s)", codeList(strings.Split(w.Attribute, ", ")))
			}
			fmt.Fprintf(b, ": %s\n", oneLine(w.Detail))
		}
	}
}

func writeRecommendations(b *strings.Builder, s Summary) {
	started := false
	for _, sc := range s.Stacks {
		for _, r := range sc.Recommendations {
			if !started {
				b.WriteString("\n#### Recommendations\n\n")
				started = true
			}
			if r.SavingsAfter == 0 {
				fmt.Fprintf(b, "- `%s` %s: no longer applies (saved %s/month)\n", sc.Address, r.Kind, usd(r.SavingsBefore))
				continue
			}
			fmt.Fprintf(b, "- `%s` %s: saves %s/month (was %s): %s\n", sc.Address, r.Kind, usd(r.SavingsAfter), usd(r.SavingsBefore),
				firstSentence(r.Summary))
		}
	}
}

func shapeCell(sc StackChange) string {
	switch {
	case sc.ShapeBefore == "" || sc.ShapeBefore == sc.ShapeAfter:
		return escapeCell(sc.ShapeAfter)
	case sc.ShapeAfter == "":
		return escapeCell(sc.ShapeBefore)
	default:
		return escapeCell(sc.ShapeBefore) + " → " + escapeCell(sc.ShapeAfter)
	}
}

func optUSD(v *float64, f func(float64) string) string {
	if v == nil {
		return "known after apply"
	}
	return f(*v)
}

// usd formats dollars with thousands separators: $12,403.11.
func usd(v float64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprintf("%.2f", v)
	intPart, frac := s[:len(s)-3], s[len(s)-3:]
	var groups []string
	for len(intPart) > 3 {
		groups = append([]string{intPart[len(intPart)-3:]}, groups...)
		intPart = intPart[:len(intPart)-3]
	}
	groups = append([]string{intPart}, groups...)
	out := "$" + strings.Join(groups, ",") + frac
	if neg {
		out = "-" + out
	}
	return out
}

func signedUSD(v float64) string {
	if v > 0 {
		return "+" + usd(v)
	}
	if v == 0 {
		return usd(0)
	}
	return usd(v)
}

func codeList(items []string) string {
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = "`" + it + "`"
	}
	return strings.Join(quoted, ", ")
}

// oneLine folds a multi-line detail into one line for a list item.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// firstSentence keeps a recommendation to its first sentence: what to do and what it saves.
func firstSentence(s string) string {
	s = oneLine(s)
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && s[i+2] >= 'A' && s[i+2] <= 'Z' {
			return s[:i+1]
		}
	}
	return s
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

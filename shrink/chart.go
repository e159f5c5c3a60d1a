package shrink

import (
	"fmt"
	"strings"

	"github.com/devstress/devstress/properties"
)

// The geometry of a reference-count chart, in SVG user units: the whole
// picture, and the margins around the plot that hold the axis labels.
const (
	chartWidth  = 520
	chartHeight = 78
	chartLeft   = 26
	chartRight  = 12
	chartTop    = 10
	chartBottom = 20
)

// chart is one device's reference count over the run, for the HTML page:
// a step line from the device's creation to the violation (or the end),
// a dot per get and put, and a vertical mark at its release, its free and
// the violation.
type chart struct {
	Handle, Summary string
	Width, Height   int
	// Path is the step line's SVG path.
	Path string
	Dots []dot
	// Marks are vertical lines across the plot.
	Marks []mark
	// MaxCount and the ordinates of its label and of 0's; End is the last
	// step and the abscissae of the first and last steps' labels.
	MaxCount             int
	MaxY, ZeroY          float64
	End                  int
	StartX, EndX, LabelY float64
}

// dot is a value of the count: where it is drawn and what it was.
type dot struct {
	X, Y  float64
	Title string
}

// mark is a vertical line at X: Class is release, free or violation.
type mark struct {
	X            float64
	Class, Title string
}

// charts draws each of a's devices, over the steps up to the violation
// (or the end of the trace).
func charts(a analysis, f *properties.Failure) []chart {
	end := 1
	if n := len(a.records); n > 0 {
		end = max(end, a.records[n-1].Step)
	}
	if f != nil {
		end = max(end, f.Step)
	}
	var cs []chart
	for _, d := range a.devices {
		cs = append(cs, drawChart(d, end, f))
	}
	return cs
}

func drawChart(d deviceHistory, end int, f *properties.Failure) chart {
	top := 1
	for _, p := range d.points {
		top = max(top, p.count)
	}
	x := func(step int) float64 {
		return chartLeft + float64(step)*float64(chartWidth-chartLeft-chartRight)/float64(end)
	}
	y := func(count int) float64 {
		return chartTop + float64(top-count)*float64(chartHeight-chartTop-chartBottom)/float64(top)
	}
	c := chart{Handle: d.handle, Summary: d.summary(), Width: chartWidth, Height: chartHeight,
		MaxCount: top, MaxY: y(top), ZeroY: y(0), End: end,
		StartX: x(0), EndX: x(end), LabelY: chartHeight - 5}
	var path strings.Builder
	for i, p := range d.points {
		if i == 0 {
			fmt.Fprintf(&path, "M%.1f %.1f", x(p.step), y(p.count))
		} else {
			fmt.Fprintf(&path, " H%.1f V%.1f", x(p.step), y(p.count))
		}
		c.Dots = append(c.Dots, dot{X: x(p.step), Y: y(p.count),
			Title: fmt.Sprintf("step %d: %s %s %s, count %d", p.step, p.task, p.op, p.label, p.count)})
	}
	fmt.Fprintf(&path, " H%.1f", x(end))
	c.Path = path.String()
	if d.released >= 0 {
		c.Marks = append(c.Marks, mark{X: x(d.released), Class: "release", Title: fmt.Sprintf("released at step %d", d.released)})
	}
	if d.freed >= 0 {
		c.Marks = append(c.Marks, mark{X: x(d.freed), Class: "free", Title: fmt.Sprintf("freed at step %d", d.freed)})
	}
	if stepKnown(f) {
		c.Marks = append(c.Marks, mark{X: x(f.Step), Class: "violation", Title: fmt.Sprintf("%s at step %d", f.Invariant, f.Step)})
	}
	return c
}

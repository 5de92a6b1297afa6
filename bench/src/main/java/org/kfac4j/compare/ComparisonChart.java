package org.kfac4j.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.kfac4j.train.EvalPoint;
import org.kfac4j.train.OptimizerChoice;

/**
 * The comparison's picture, as the paper's Figures 3–5 draw it: validation accuracy against steps and against
 * training seconds, one line per optimiser and seed (one colour per optimiser), the target as a dashed line. Written
 * with XChart as PNG and SVG.
 */
public final class ComparisonChart {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd)};

    private ComparisonChart() {
    }

    /** Writes {@code <dir>/val-vs-steps.{png,svg}} and {@code <dir>/val-vs-seconds.{png,svg}}; returns the PNG paths. */
    public static List<Path> write(Comparison comparison, double target, String title, Path dir) throws IOException {
        XYChart steps = chart(comparison, target, title, "steps", p -> p.step());
        XYChart seconds = chart(comparison, target, title, "training seconds", EvalPoint::trainSeconds);
        Path stepsFile = dir.resolve("val-vs-steps");
        Path secondsFile = dir.resolve("val-vs-seconds");
        save(steps, stepsFile);
        save(seconds, secondsFile);
        return List.of(Path.of(stepsFile + ".png"), Path.of(secondsFile + ".png"));
    }

    /** {@code file}.png (144 dpi) and {@code file}.svg. */
    private static void save(XYChart chart, Path file) throws IOException {
        BitmapEncoder.saveBitmapWithDPI(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG, 144);
        VectorGraphicsEncoder.saveVectorGraphic(chart, file.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    private static XYChart chart(Comparison comparison, double target, String title, String xTitle,
                                 ToDoubleFunction<EvalPoint> x) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle("validation accuracy").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
        double maxX = 0;
        double minY = 1;
        int colour = 0;
        for (var e : comparison.curves().entrySet()) {
            OptimizerChoice opt = e.getKey();
            List<List<EvalPoint>> runs = e.getValue();
            for (int s = 0; s < runs.size(); s++) {
                List<EvalPoint> c = runs.get(s);
                double[] xs = c.stream().mapToDouble(x).toArray();
                double[] ys = c.stream().mapToDouble(EvalPoint::valAccuracy).toArray();
                XYSeries series = chart.addSeries(opt + (runs.size() > 1 ? " seed " + s : ""), xs, ys);
                series.setLineColor(COLOURS[colour % COLOURS.length]);
                series.setMarker(SeriesMarkers.NONE);
                series.setShowInLegend(s == 0);
                if (s == 0 && runs.size() > 1) {
                    series.setLabel(opt.cliName());
                }
                maxX = Math.max(maxX, xs[xs.length - 1]);
                for (double y : ys) {
                    minY = Math.min(minY, y);
                }
            }
            colour++;
        }
        XYSeries t = chart.addSeries(String.format(Locale.ROOT, "target %.4f", target), new double[] {0, maxX},
                new double[] {target, target});
        t.setLineColor(Color.GRAY);
        t.setMarker(SeriesMarkers.NONE);
        t.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        // the interesting part is the approach to the target, not the first evaluations near chance
        chart.getStyler().setYAxisMin(Math.max(minY, target - 0.25));
        chart.getStyler().setYAxisMax(Math.min(1.0, target + 0.05));
        return chart;
    }
}

package org.eqp.examples.report;

import java.util.Arrays;
import java.util.Optional;

/**
 * Least-squares line y = intercept + slope * x and its coefficient of determination r^2 = 1 - SS_res / SS_tot.
 *
 * @param intercept the fitted value at x = 0
 * @param slope     dy/dx
 * @param r2        coefficient of determination (1 = perfect line; NaN when y is constant)
 */
public record LinearFit(double intercept, double slope, double r2) {

    /** Fits the line through points (x[i], y[i]); needs at least two distinct x values. */
    public static LinearFit of(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("a line fit needs at least two (x, y) pairs of equal count; got "
                    + x.length + " and " + y.length);
        }
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("a line fit needs at least two distinct x values");
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double ssRes = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - (intercept + slope * x[i]);
            ssRes += r * r;
        }
        return new LinearFit(intercept, slope, syy == 0 ? Double.NaN : 1 - ssRes / syy);
    }

    /**
     * The fit through points (x[i], y[i]) when it is defined (at least two distinct x values), else empty: a sweep of
     * a single run has no line.
     *
     * @throws IllegalArgumentException when x and y differ in length
     */
    public static Optional<LinearFit> ifDefined(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("a line fit needs (x, y) pairs of equal count; got " + x.length + " and "
                    + y.length);
        }
        return Arrays.stream(x).distinct().count() < 2 ? Optional.empty() : Optional.of(of(x, y));
    }

    public double at(double x) {
        return intercept + slope * x;
    }
}

import jdk.incubator.vector.*;
public class Gather {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED; static final int V = S.length();
    // stride-1, 3x3, pad 1 geometry; H=W=28, C channels; images [from,end)
    static void arraycopyGather(float[] x, int images, int H, int W, int C, float[] cols) {
        int span = 3 * C, ld = 9 * C;
        for (int img = 0; img < images; img++) for (int oh = 0; oh < H; oh++) for (int ow = 0; ow < W; ow++) {
            int row = ((img * H + oh) * W + ow) * ld; int iw0 = ow - 1; int jFirst = Math.max(0, -iw0); int jEnd = Math.max(jFirst, Math.min(3, W - iw0));
            for (int i = 0; i < 3; i++) { int ih = oh - 1 + i; int at = row + i * span; boolean inside = ih >= 0 && ih < H && jFirst < jEnd;
                int pixel = inside ? ((img * H + ih) * W + iw0 + jFirst) * C : 0; int length = inside ? (jEnd - jFirst) * C : 0; int lead = inside ? jFirst * C : span;
                if (lead > 0) java.util.Arrays.fill(cols, at, at + lead, 0f);
                System.arraycopy(x, pixel, cols, at + lead, length);
                int tail = span - lead - length; if (tail > 0) java.util.Arrays.fill(cols, at + lead + length, at + span, 0f); } }
    }
    static void vectorGather(float[] x, int images, int H, int W, int C, float[] cols) {
        int span = 3 * C, ld = 9 * C;
        for (int img = 0; img < images; img++) for (int oh = 0; oh < H; oh++) for (int ow = 0; ow < W; ow++) {
            int row = ((img * H + oh) * W + ow) * ld; int iw0 = ow - 1; int jFirst = Math.max(0, -iw0); int jEnd = Math.max(jFirst, Math.min(3, W - iw0));
            for (int i = 0; i < 3; i++) { int ih = oh - 1 + i; int at = row + i * span; boolean inside = ih >= 0 && ih < H && jFirst < jEnd;
                int pixel = inside ? ((img * H + ih) * W + iw0 + jFirst) * C : 0; int length = inside ? (jEnd - jFirst) * C : 0; int lead = inside ? jFirst * C : span;
                if (lead > 0) java.util.Arrays.fill(cols, at, at + lead, 0f);
                int d = at + lead, s = pixel, e = pixel + length - V;
                for (; s <= e; s += V, d += V) FloatVector.fromArray(S, x, s).intoArray(cols, d);
                for (; s < pixel + length; s++, d++) cols[d] = x[s];
                int tail = span - lead - length; if (tail > 0) java.util.Arrays.fill(cols, at + lead + length, at + span, 0f); } }
    }
    public static void main(String[] a) {
        int C = Integer.parseInt(a[0]), H = Integer.parseInt(a[1]), images = Integer.parseInt(a[2]);
        float[] x = new float[images * H * H * C]; for (int i = 0; i < x.length; i++) x[i] = i;
        float[] c1 = new float[images * H * H * 9 * C], c2 = new float[c1.length];
        arraycopyGather(x, images, H, H, C, c1); vectorGather(x, images, H, H, C, c2); System.out.println("same " + java.util.Arrays.equals(c1, c2) + " block MB " + c1.length * 4 / 1e6);
        for (int r = 0; r < 10; r++) {
            long t0 = System.nanoTime(); for (int q = 0; q < 20; q++) arraycopyGather(x, images, H, H, C, c1);
            long t1 = System.nanoTime(); for (int q = 0; q < 20; q++) vectorGather(x, images, H, H, C, c2);
            long t2 = System.nanoTime();
            System.out.printf("arraycopy %.3f ms  vector %.3f ms  (memcpy-rate equiv %.1f GB/s)%n", (t1 - t0) / 20e6, (t2 - t1) / 20e6, c1.length * 4 / ((t1 - t0) / 20.0));
        }
    }
}

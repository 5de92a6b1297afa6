import org.kfac4j.linalg.simd.*;
public class KernelAlone {
  public static void main(String[] a) {
    int kc = Integer.parseInt(a[0]); int panels = Integer.parseInt(a[1]); int bpanels = Integer.parseInt(a[2]);
    VectorMicroKernelF64 k = new VectorMicroKernelF64();
    int mr = k.mr(), nr = k.nr();
    double[] ap = new double[panels*mr*kc]; double[] bp = new double[bpanels*nr*kc];
    java.util.Random r = new java.util.Random(1);
    for (int i=0;i<ap.length;i++) ap[i]=r.nextDouble(); for (int i=0;i<bp.length;i++) bp[i]=r.nextDouble();
    double[] c = new double[panels*mr*nr*bpanels]; double[] z = new double[nr*8]; int mode=Integer.parseInt(a[3]); int ldc=1024; double[] cbig=new double[1024*1024*2]; long tick=0; double sink=0;
    for (int rep=0; rep<12; rep++) {
      long t0=System.nanoTime(); long flops=0;
      while (System.nanoTime()-t0 < 500_000_000L) {
        for (int jb=0;jb<bpanels;jb++) for (int p=0;p<panels;p++) {
          if (mode==0) k.tile(kc, ap, p*mr*kc, bp, jb*nr*kc, 1.0, c, (p*bpanels+jb)*mr*nr, nr, c, (p*bpanels+jb)*mr*nr, nr);
          else if (mode==1) k.tileStrided(kc, ap, p*mr*kc, kc, 1, bp, jb*nr*kc, 1.0, c, (p*bpanels+jb)*mr*nr, nr, c, (p*bpanels+jb)*mr*nr, nr);
          else if (mode==3) { int co = ((p*mr)*ldc + jb*nr + (int)(tick%64)*16*6*ldc) % (cbig.length - 6*ldc); co -= co%16;
             int cn = ((((p+1)%panels)*mr)*ldc + jb*nr + (int)((tick+1)%64)*16*6*ldc) % (cbig.length - 6*ldc); cn -= cn%16; tick++;
             sink += cbig[cn] + cbig[cn+ldc] + cbig[cn+2*ldc] + cbig[cn+3*ldc] + cbig[cn+4*ldc] + cbig[cn+5*ldc] + cbig[cn+8] + cbig[cn+ldc+8] + cbig[cn+2*ldc+8] + cbig[cn+3*ldc+8] + cbig[cn+4*ldc+8] + cbig[cn+5*ldc+8];
             k.tileStrided(kc, ap, p*mr*kc, kc, 1, bp, jb*nr*kc, 1.0, cbig, co, ldc, cbig, co, ldc);}
          else { int co = ((p*mr)*ldc + jb*nr + (int)(tick++%64)*16*6*ldc) % (cbig.length - 6*ldc); co -= co%16; k.tileStrided(kc, ap, p*mr*kc, kc, 1, bp, jb*nr*kc, 1.0, cbig, co, ldc, cbig, co, ldc);}
        }
        flops += 2L*mr*nr*kc*panels*bpanels;
      }
      double s=(System.nanoTime()-t0)/1e9;
      if (rep>=4) System.out.printf((sink==1.2345?"":"")+"mode="+mode+" kc=%d panels=%d bpanels=%d: %.1f GFLOP/s%n", kc, panels, bpanels, flops/s/1e9);
    }
  }
}

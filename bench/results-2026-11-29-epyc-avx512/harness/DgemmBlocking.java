import org.kfac4j.linalg.*;
import java.util.*;
public class DgemmBlocking {
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]); int threads = Integer.parseInt(args[1]);
    String[] cfgs = Arrays.copyOfRange(args, 2, args.length);
    double[] a = new double[n*n], b = new double[n*n], c = new double[n*n];
    Random r = new Random(1); for (int i=0;i<a.length;i++){a[i]=r.nextDouble();b[i]=r.nextDouble();}
    Linalg[] ls = new Linalg[cfgs.length];
    LinalgConfig d = LinalgConfig.defaults().withThreads(threads);
    for (int i=0;i<cfgs.length;i++){ String[] p=cfgs[i].split("/");
      ls[i] = Linalg.create(d.withBlocking(d.blockingF32(), new GemmBlocking(Integer.parseInt(p[0]),Integer.parseInt(p[1]),Integer.parseInt(p[2])))); }
    double[][] res = new double[cfgs.length][];
    int rounds = 9; for (int i=0;i<cfgs.length;i++) res[i]=new double[rounds];
    for (int w=0; w<2; w++) for (Linalg l: ls) { long t=System.nanoTime(); while(System.nanoTime()-t<1.5e9) l.dgemm(Transpose.N,Transpose.N,n,n,n,1,a,0,n,b,0,n,0,c,0,n); }
    for (int rd=0; rd<rounds; rd++) for (int i=0;i<cfgs.length;i++) {
      long t=System.nanoTime(); int reps=0; while(System.nanoTime()-t<0.6e9){ ls[i].dgemm(Transpose.N,Transpose.N,n,n,n,1,a,0,n,b,0,n,0,c,0,n); reps++;}
      res[i][rd] = 2.0*n*n*n*reps/((System.nanoTime()-t)/1e9)/1e9; }
    for (int i=0;i<cfgs.length;i++){ double[] s=res[i].clone(); Arrays.sort(s); System.out.printf("n=%d t=%d %s: median %.1f GFLOP/s (min %.1f max %.1f)%n", n, threads, cfgs[i], s[rounds/2], s[0], s[rounds-1]); }
    System.exit(0);
  }
}

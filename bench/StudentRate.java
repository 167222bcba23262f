import ai.djl.Device;
import dev.distill.udf.image.Normalization;
import dev.distill.udf.model.Architecture;
import dev.distill.udf.train.ImageSet;
import dev.distill.udf.train.LabelMode;
import dev.distill.udf.train.Mixing;
import dev.distill.udf.train.StudentOptions;
import dev.distill.udf.train.StudentTrainer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Images per second of one static-label ConvNet-3 student's training loop (CutMix, batch 50, no
 * test passes) on random 28×28 gray images, which cost what real ones do. Prints one number so that
 * bench/threads.sh can compare one JVM at 2 libtorch threads with two 1-thread JVMs at once:
 *   DISTILL_MAIN=bench/StudentRate.java bin/distill IMAGES EPOCHS
 */
public class StudentRate {
  public static void main(String[] args) {
    int images = Integer.parseInt(args[0]);
    int epochs = Integer.parseInt(args[1]);
    int classes = 10;
    ImageSet data = new ImageSet(1, 28, 28);
    SplittableRandom r = new SplittableRandom(3);
    byte[] image = new byte[28 * 28];
    for (int i = 0; i < images; i++) {
      for (int p = 0; p < image.length; p++) {
        image[p] = (byte) r.nextInt(256);
      }
      data.add(image, i % classes);
    }
    float[] logits = new float[images * classes];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) r.nextGaussian() * 3;
    }
    StudentOptions options = new StudentOptions(epochs, 50, 0.001f, 0.01f, 20f, LabelMode.STATIC, 1, 1.0, 0, 1,
        Mixing.CUTMIX);
    StudentTrainer trainer = new StudentTrainer(new Architecture("convnet3"),
        new Normalization(new float[] {0.286f}, new float[] {0.353f}), options, Device.cpu());
    // One warm-up epoch's worth is paid inside the measured run; at ≥ 10 epochs it is noise.
    long t0 = System.nanoTime();
    trainer.train(data, logits, classes, List.of(), new ImageSet(1, 28, 28), e -> { });
    System.out.println((double) images * epochs / ((System.nanoTime() - t0) / 1e9));
  }
}

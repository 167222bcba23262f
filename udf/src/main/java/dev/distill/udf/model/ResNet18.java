package dev.distill.udf.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * ResNet-18 as RDED's {@code resnet18_modified}: torchvision's layout with a 3×3 stride-1 stem and
 * no max-pool, so 28–64 pixel inputs keep enough resolution through the four stages.
 */
public final class ResNet18 {
  private ResNet18() {}

  public static Block build(int classes) {
    SequentialBlock net = new SequentialBlock()
        .add(conv(64, 3, 1))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock());
    int in = 64;
    int[] widths = {64, 128, 256, 512};
    for (int stage = 0; stage < widths.length; stage++) {
      for (int b = 0; b < 2; b++) {
        int stride = (stage > 0 && b == 0) ? 2 : 1;
        net.add(basicBlock(in, widths[stage], stride));
        in = widths[stage];
      }
    }
    return net.add(Pool.globalAvgPool2dBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  private static Block basicBlock(int in, int out, int stride) {
    SequentialBlock main = new SequentialBlock()
        .add(conv(out, 3, stride))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(conv(out, 3, 1))
        .add(BatchNorm.builder().build());
    Block shortcut = (stride == 1 && in == out)
        ? Blocks.identityBlock()
        : new SequentialBlock().add(conv(out, 1, stride)).add(BatchNorm.builder().build());
    return new SequentialBlock()
        .add(new ParallelBlock(
            list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
            List.of(main, shortcut)))
        .add(Activation.reluBlock());
  }

  private static Conv2d conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optBias(false)
        .setFilters(filters)
        .build();
  }
}

package dev.distill.udf.model;

import ai.djl.nn.Block;
import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named network family and size, as written in configs and observer metadata:
 * {@code convnet3} … {@code convnet6} (the dataset-distillation ConvNet, width 128, BatchNorm),
 * {@code convnet3-in} … {@code convnet6-in} (the same with instance norm, the DD literature's
 * default student), {@code resnet18} (ResNet-18 with a 3×3 stride-1 stem and no max-pool) and
 * {@code mobilenet} (a small depthwise-separable network, {@link MobileNet}).
 */
public record Architecture(String name) implements Serializable {
  private static final Pattern CONVNET = Pattern.compile("convnet([3-6])(-in)?");
  public static final String ALLOWED = "convnet3 … convnet6, convnet3-in … convnet6-in, resnet18, mobilenet";

  public Architecture {
    if (!isKnown(name)) {
      throw new IllegalArgumentException(
          "unknown architecture '" + name + "'; allowed: " + ALLOWED);
    }
  }

  public static boolean isKnown(String name) {
    return CONVNET.matcher(name).matches() || name.equals("resnet18") || name.equals("mobilenet");
  }

  /** A fresh, uninitialised block for this architecture. */
  public Block newBlock(int channels, int height, int width, int classes) {
    Matcher m = CONVNET.matcher(name);
    if (m.matches()) {
      return ConvNet.build(Integer.parseInt(m.group(1)), ConvNet.WIDTH, height, classes, m.group(2) != null);
    }
    return name.equals("mobilenet") ? MobileNet.build(classes) : ResNet18.build(classes);
  }
}

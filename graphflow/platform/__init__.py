"""TF1's platform utilities: command-line flags, tf.app.run, tf.logging and tf.gfile."""

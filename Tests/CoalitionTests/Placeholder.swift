import Coalition
